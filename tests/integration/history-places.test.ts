import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../src/protocol/api.ts';
import type { PlaceFigures, PlacesResponse } from '../../src/protocol/places.ts';
import { ManualClock } from '../../src/server/core/clock.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 5);
const FROM = Date.UTC(2026, 10, 26, 10, 0, 0);
const TO = FROM + 20 * 60_000;

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'meridian-places-'));
  const clock = new ManualClock(T0);
  server = await startServer(
    { TICK_MS: '1000', TICK_GRACE_MS: '100', DATA_DIR: dataDir, SIM_DEVICES: '3000' },
    clock,
  );
  // Twenty minutes of the simulated fleet, a minute at a time, then written out.
  for (let i = 0; i < 20; i++) clock.advance(60_000);
  server.history.recorder.flush();
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await server.app.inject({ url });
  return { status: res.statusCode, body: res.json() as T };
}

const places = (query: string) =>
  get<PlacesResponse & { error?: { code: string } }>(`/api/v1/history/places?${query}`);

/** The scope's own history over the same minutes, as one time-weighted mean per metric. */
async function mean(scope: string, from: number, to: number, filter = '') {
  const { body } = await get<HistoryResponse>(
    `/api/v1/history?scope=${scope}&from=${from}&to=${to}&maxPoints=${(to - from) / 60_000}${filter}`,
  );
  const weights = body.completeness;
  const total = weights.reduce((a, b) => a + b, 0);
  const of = (m: keyof HistoryResponse['series']) =>
    body.series[m]!.reduce<number>((s, v, i) => s + (v ?? 0) * weights[i]!, 0) / total;
  return { kept: body.kept, stepMs: body.stepMs, of };
}

const sum = (list: readonly (PlaceFigures | null)[], key: keyof PlaceFigures) =>
  list.reduce((s, f) => s + (f?.[key] ?? 0), 0);

describe('GET /api/v1/history/places', () => {
  it("gives a period's figures per site, per child and per technology, adding up to the scope's", async () => {
    const { status, body } = await places(`scope=region:europe&from=${FROM}&to=${TO}`);
    expect(status).toBe(200);
    expect(body.from).toBeLessThanOrEqual(FROM);
    expect(body.to).toBeGreaterThanOrEqual(TO);
    const own = await mean('region:europe', body.from, body.to);
    expect(own.stepMs).toBe(body.stepMs);
    const devices = own.of('devices');
    const online = own.of('online');
    expect(devices).toBeGreaterThan(100);

    const sites = body.sites!;
    const europe = server.scopes.resolve('region:europe')!;
    expect(sites.start).toBe(europe.siteStart);
    expect(sites.count).toBe(europe.siteCount);
    // Time-weighted means: the sites' add up to the region's, and so do its countries'.
    expect(sum(sites.figures, 'devices')).toBeCloseTo(devices, 6);
    expect(sum(sites.figures, 'online')).toBeCloseTo(online, 6);
    const children = Object.values(body.children);
    expect(Object.keys(body.children).every((id) => id.startsWith('country:'))).toBe(true);
    expect(sum(children, 'devices')).toBeCloseTo(devices, 6);
    expect(sum(children, 'bytesInRate')).toBeCloseTo(own.of('bytesInRate'), 3);
    for (const f of children) expect(f.coverage).toBeCloseTo(1, 2);

    // The breakdowns cover every device once.
    const tech = Object.values(body.breakdown!.tech);
    const cls = Object.values(body.breakdown!.class);
    expect(sum(tech, 'devices')).toBeCloseTo(devices, 6);
    expect(sum(cls, 'devices')).toBeCloseTo(devices, 6);
  });

  it('by technology: children filtered, sites and breakdowns not kept, and says so', async () => {
    const { body } = await places(`scope=global&from=${FROM}&to=${TO}&tech=nb-iot,lte-m`);
    expect(body.sites).toBeNull();
    expect(body.breakdown).toBeNull();
    expect(body.note).toMatch(/unfiltered/);
    const own = await mean('global', body.from, body.to, '&tech=nb-iot,lte-m');
    expect(own.kept).toBe(true);
    expect(sum(Object.values(body.children), 'devices')).toBeCloseTo(own.of('devices'), 6);
  });

  it('has no figure for a place or time without history', async () => {
    const { body } = await places(
      `scope=country:FR&from=${FROM - 4 * 86_400_000}&to=${FROM - 3 * 86_400_000}`,
    );
    expect(body.sites!.figures.every((f) => f === null)).toBe(true);
    expect(body.children).toEqual({});
  });

  it.each([
    ['scope=global', 400, 'from'],
    [`scope=global&from=${TO}&to=${FROM}`, 400, 'from'],
    [`scope=global&from=${FROM}&to=${TO}&tech=wifi&class=camera`, 400, 'class'],
    [`scope=country:ZZ&from=${FROM}&to=${TO}`, 404, 'scope'],
  ])('GET /api/v1/history/places?%s → %i', async (query, status, name) => {
    const res = await server.app.inject({ url: `/api/v1/history/places?${query}` });
    expect(res.statusCode).toBe(status);
    expect((res.json() as { error: { message: string } }).error.message).toContain(name);
  });
});
