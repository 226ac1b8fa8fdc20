import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../src/protocol/api.ts';
import type { DeviceResponse, DevicesResponse } from '../../src/protocol/devices.ts';
import {
  closeSockets,
  collectTicks,
  openSocket,
  startServer,
  subscribe,
  waitFor,
  type RunningServer,
} from '../support/server.ts';

const TOKEN = 'test-token-0123456789';
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ INGEST_TOKEN: TOKEN, TICK_MS: '1000', TICK_GRACE_MS: '50' });
});
afterAll(async () => server.close());
afterEach(() => closeSockets());

async function post(body: string, type = 'application/json', token: string | null = TOKEN) {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

const meta = (device: string, site = 'fr-paris') => ({
  type: 'meta',
  device,
  site,
  tech: 'lte-m',
  class: 'vehicle',
});

describe('HTTP ingest', () => {
  it('keeps the simulator off unless asked for, and says when figures are mixed', async () => {
    expect(server.pipeline.simulated).toBe(false);
    const both = await startServer({ INGEST_TOKEN: TOKEN, SIM_ENABLED: 'true' });
    try {
      const socket = openSocket(both.url);
      const ack = await subscribe(socket, { scope: 'global' });
      expect(ack.ok && ack.data).toMatchObject({ simulated: true, real: true });
    } finally {
      await both.close();
    }
  });

  it('refuses a missing or wrong token with 401', async () => {
    const batch = JSON.stringify([meta('h-0')]);
    expect(await post(batch, 'application/json', null)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    expect((await post(batch, 'application/json', 'wrong-token-0123456789')).status).toBe(401);
  });

  it('counts a batch exactly: devices in ticks, traffic in history, retries once', async () => {
    const now = Date.now();
    const ids = ['h-1', 'h-2', 'h-3'];
    const first = await post(JSON.stringify(ids.map((id) => meta(id))));
    expect(first).toMatchObject({ status: 200, body: { accepted: 3, rejected: 0 } });

    // NDJSON too: baselines 6 s ago, then 4,000 bytes each over the 4 seconds after.
    const tele = (id: string, ts: number, bytesIn: number) =>
      JSON.stringify({
        type: 'telemetry',
        device: id,
        boot: 'b1',
        ts,
        msgs: bytesIn / 100,
        bytesIn,
      });
    const t0 = Math.floor(now / 1000) * 1000 - 6000;
    const baseline = ids.map((id) => tele(id, t0, 1000)).join('\n');
    expect((await post(baseline, 'application/x-ndjson')).body).toMatchObject({ accepted: 3 });
    const reports = ids.map((id) => tele(id, t0 + 4000, 5000)).join('\n');
    expect((await post(reports, 'application/x-ndjson')).body).toMatchObject({
      accepted: 3,
      duplicates: 0,
    });
    // A client that did not see the answer sends it again: nothing more is counted.
    expect((await post(reports, 'application/x-ndjson')).body).toMatchObject({
      accepted: 3,
      duplicates: 3,
    });

    const socket = openSocket(server.url);
    const ticks = collectTicks(socket);
    expect((await subscribe(socket, { scope: 'site:fr-paris' })).ok).toBe(true);
    await waitFor(() => ticks.length >= 1, 5000, 'a tick');
    // Heard from (telemetry): online. Real figures only: no simulator badge.
    expect(ticks.at(-1)!.kpis).toMatchObject({ devices: 3, online: 3, offline: 0 });
    expect(ticks.at(-1)).toMatchObject({ simulated: false, real: true });

    const res = await server.app.inject({
      url: `/api/v1/history?scope=country:FR&metrics=bytesInRate,msgRate&from=${t0}&to=${t0 + 6000}&maxPoints=100`,
    });
    const h = res.json() as HistoryResponse;
    expect(h.stepMs).toBe(1000);
    const bytes = h.series.bytesInRate!.map((v) => v ?? 0);
    // 3 devices × 4,000 bytes, 1,000 in each of the four seconds after the baseline.
    expect(bytes).toEqual([0, 3000, 3000, 3000, 3000, 0]);
    expect(h.series.msgRate!.reduce((s, v) => s! + (v ?? 0), 0)).toBeCloseTo(120, 9);
    // A site's minutes: the peak band never sits below the line, late traffic included.
    const minutes = (
      await server.app.inject({
        url: `/api/v1/history?scope=site:fr-paris&metrics=bytesInRate&from=${t0 - 120_000}&to=${t0 + 60_000}&maxPoints=3`,
      })
    ).json() as HistoryResponse;
    expect(minutes.stepMs).toBeGreaterThanOrEqual(60_000);
    const mean = minutes.series.bytesInRate!;
    expect(mean.some((v) => (v ?? 0) > 0)).toBe(true);
    mean.forEach((v, i) => {
      // A minute that began before the server did holds late traffic only: no band at all.
      if (v === null || minutes.max!.bytesInRate![i] === null) return;
      expect(minutes.max!.bytesInRate![i]).toBeGreaterThanOrEqual(v);
      expect(minutes.min!.bytesInRate![i]).toBeLessThanOrEqual(v);
    });

    // The device list shows them as sent over HTTP, online, at 1,000 B/s each.
    const list = await server.app.inject({ url: '/api/v1/devices?scope=country:FR&q=h-&sort=id' });
    const rows = (list.json() as DevicesResponse).rows;
    expect(rows.map((r) => r.id)).toEqual(ids);
    for (const r of rows) {
      expect(r).toMatchObject({ source: 'http', status: 'online', site: 'site:fr-paris' });
      expect(r.rate).toBeCloseTo(1000, 6);
      expect(r.lastSeen).toBeGreaterThanOrEqual(now);
    }

    // Its panel's recent traffic holds exactly the 4,000 bytes it sent, over the span its
    // reports cover and no further.
    const one = await server.app.inject({ url: '/api/v1/devices/h-1' });
    const d = one.json() as DeviceResponse;
    const traffic = d.traffic!;
    expect(traffic.t.at(-1)).toBeLessThanOrEqual(d.to);
    let sent = 0;
    traffic.t.forEach((start, i) => {
      const covered = Math.min(start + traffic.stepMs, t0 + 4000) - Math.max(start, t0);
      if (covered <= 0) expect(traffic.rate[i]).toBeNull();
      else sent += traffic.rate[i]! * (covered / 1000);
    });
    expect(sent).toBeCloseTo(4000, 1);
  });

  it('answers a bad batch with 400 and per-record errors, a mixed one with what counted', async () => {
    const bad = await post(
      JSON.stringify([
        { type: 'meta', device: 'h-x', tech: 'carrier-pigeon', class: 'vehicle' },
        { type: 'telemetry', device: 'nobody', boot: 1, ts: Date.now(), bytesIn: 5 },
        { type: 'status', device: 'bad id with spaces', status: 'online' },
      ]),
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: { code: 'nothing_accepted' },
      accepted: 0,
      rejected: 3,
      errors: [
        { index: 0, reason: 'invalid', message: expect.stringContaining('tech') },
        { index: 1, reason: 'unknown_device' },
        { index: 2, reason: 'invalid', message: expect.stringContaining('device') },
      ],
    });
    expect((await post('{"type": "meta", "dev')).body).toMatchObject({
      rejected: 1,
      errors: [{ reason: 'malformed' }],
    });

    const mixed = await post(
      [JSON.stringify(meta('h-4')), '{not json', JSON.stringify({ type: 'status' })].join('\n'),
      'application/x-ndjson',
    );
    expect(mixed).toMatchObject({
      status: 200,
      body: {
        accepted: 1,
        rejected: 2,
        errors: [
          { index: 1, reason: 'malformed' },
          { index: 2, reason: 'invalid' },
        ],
      },
    });
  });

  it('refuses a body over the size limit with 413 and counts it', async () => {
    const huge = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => meta(`big-${i}`)));
    expect(huge.length).toBeGreaterThan(1024 * 1024);
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(server.ingest!.stats.drops()).toContainEqual(['http', 'oversized', 1]);
  });

  it('reports what it accepted and dropped, and how it runs, on /metrics', async () => {
    const res = await server.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(line))
          ?.slice(line.length + 1),
      );
    const stats = server.ingest!.stats;
    expect(value('meridian_ingest_records_total{source="http",outcome="accepted"}')).toBe(
      stats.accepted.http,
    );
    expect(value('meridian_ingest_records_total{source="http",outcome="duplicate"}')).toBe(3);
    expect(value('meridian_ingest_rejected_total{source="http",reason="unknown_device"}')).toBe(1);
    expect(value('meridian_ingest_rejected_total{source="http",reason="oversized"}')).toBe(1);
    expect(value('meridian_ingest_lag_seconds_count{source="http"}')).toBeGreaterThanOrEqual(6);
    expect(value('meridian_tick_duration_seconds_count')).toBeGreaterThan(0);
    expect(text).toContain('meridian_socket_clients ');
    expect(text).toContain('meridian_store_write_seconds_bucket');
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
  });
});
