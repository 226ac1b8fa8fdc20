import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELLS_PER_SITE, CLASS_COUNT } from '../../src/server/aggregate/cells.ts';
import { ManualClock } from '../../src/server/core/clock.ts';
import { TECHNOLOGIES } from '../../src/protocol/dimensions.ts';
import type { DeviceResponse, DeviceRow, DevicesResponse } from '../../src/protocol/devices.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 5);
let clock: ManualClock;
let server: RunningServer;

beforeAll(async () => {
  clock = new ManualClock(T0);
  server = await startServer({ SIM_DEVICES: '5000', TICK_MS: '5000', TICK_GRACE_MS: '100' }, clock);
  // Five minutes in: some devices have gone offline since the start, so their spells have start times.
  clock.advance(5 * 60_000);
}, 120_000);
afterAll(async () => server.close());

async function get(query: string) {
  const res = await server.app.inject({ method: 'GET', url: `/api/v1/devices?${query}` });
  return {
    status: res.statusCode,
    body: res.json() as DevicesResponse & { error?: { code: string } },
  };
}

async function listAll(query: string, between?: () => void) {
  const rows: DeviceRow[] = [];
  let page = await get(query);
  expect(page.status).toBe(200);
  const first = page.body;
  rows.push(...page.body.rows);
  while (page.body.next) {
    between?.();
    page = await get(
      `cursor=${page.body.next}&limit=${new URLSearchParams(query).get('limit') ?? 100}`,
    );
    expect(page.status).toBe(200);
    rows.push(...page.body.rows);
  }
  return { first, rows };
}

/** Devices per status now, from the live cell counts (what the KPIs show). */
function liveCounts(scopeId: string, tech?: string) {
  const { counts } = server.pipeline.latest()!;
  const scope = server.scopes.resolve(scopeId)!;
  const t = tech === undefined ? -1 : TECHNOLOGIES.indexOf(tech as never);
  let devices = 0;
  let online = 0;
  let degraded = 0;
  for (
    let c = scope.siteStart * CELLS_PER_SITE;
    c < (scope.siteStart + scope.siteCount) * CELLS_PER_SITE;
    c++
  ) {
    if (t >= 0 && Math.floor((c % CELLS_PER_SITE) / CLASS_COUNT) !== t) continue;
    devices += counts.devices[c]!;
    online += counts.online[c]!;
    degraded += counts.degraded[c]!;
  }
  return { devices, online, degraded, offline: devices - online - degraded };
}

describe('GET /api/v1/devices', () => {
  it('pages through a pinned snapshot: every device exactly once while statuses change', async () => {
    const before = liveCounts('global');
    let moved = 0;
    const statusOf = () => server.pipeline.latest()!.counts.online.reduce((a, b) => a + b, 0);
    const { first, rows } = await listAll('scope=global&limit=1000', () => {
      const was = statusOf();
      clock.advance(60_000); // a minute between pages: devices go offline and come back
      if (statusOf() !== was) moved++;
    });
    expect(moved).toBeGreaterThan(0);
    expect(first.snapshot.total).toBe(before.devices);
    expect(rows).toHaveLength(before.devices);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    // The pages show the fleet as it was when the list was asked for.
    const by = (s: string) => rows.filter((r) => r.status === s).length;
    expect({ online: by('online'), degraded: by('degraded'), offline: by('offline') }).toEqual({
      online: before.online,
      degraded: before.degraded,
      offline: before.offline,
    });
    // Worst first: offline, then degraded, then online; within each, longest in it first.
    const rank = { offline: 0, degraded: 1, online: 2 };
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      expect(rank[a.status]).toBeLessThanOrEqual(rank[b.status]);
      if (a.status === b.status && a.since !== null && b.since !== null) {
        expect(a.since).toBeLessThanOrEqual(b.since);
      }
    }
  }, 120_000);

  it('filters by technology and status, and the filtered lists add up to the totals', async () => {
    const scope = 'region:europe';
    const tech = 'cellular-4g';
    const live = liveCounts(scope, tech);
    const totals = await Promise.all(
      ['online', 'degraded', 'offline'].map(async (status) => {
        const { rows } = await listAll(`scope=${scope}&tech=${tech}&status=${status}&limit=1000`);
        for (const r of rows) {
          expect(r).toMatchObject({ tech, status });
          expect(
            server.scopes.contains(server.scopes.resolve(scope)!, server.scopes.resolve(r.site!)!),
          ).toBe(true);
        }
        return rows.length;
      }),
    );
    expect(totals).toEqual([live.online, live.degraded, live.offline]);
    const all = await get(`scope=${scope}&tech=${tech}&limit=1`);
    expect(all.body.snapshot.total).toBe(live.devices);
  });

  it('offline longest first, by data rate, and search by id prefix', async () => {
    const offline = (await listAll('scope=global&status=offline&sort=since&limit=1000')).rows;
    expect(offline.length).toBeGreaterThan(0);
    const known = offline.filter((r) => r.since !== null).map((r) => r.since!);
    // Spells that began before the server started come first (their start is not known).
    expect(offline.slice(0, offline.length - known.length).every((r) => r.since === null)).toBe(
      true,
    );
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(offline.every((r) => r.rate === 0 && r.lastSeen === r.since)).toBe(true);

    const byRate = (await get('scope=global&sort=rate&order=desc&limit=200')).body.rows;
    const rates = byRate.map((r) => r.rate ?? -1);
    expect(rates[0]).toBeGreaterThan(0);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));

    const found = (await listAll('scope=global&q=sim-12&limit=1000')).rows;
    expect(found.length).toBeGreaterThan(10);
    expect(found.every((r) => r.id.startsWith('sim-12'))).toBe(true);
    const byId = (await get('scope=global&q=sim-12&sort=id&limit=1000')).body.rows.map((r) => r.id);
    expect(byId).toEqual([...byId].sort());
  });

  it('shows one device now, with its status changes from the transition log', async () => {
    const recent = (await get('scope=global&status=offline&sort=since&order=desc&limit=5')).body;
    const row = recent.rows.find((r) => r.since !== null)!;
    expect(row).toBeDefined();
    server.history.devices.flush(); // the log is written in batches; this one is due now
    const res = await server.app.inject({ url: `/api/v1/devices/${row.id}?from=${T0}` });
    expect(res.statusCode).toBe(200);
    const body = res.json() as DeviceResponse;
    expect(body.device).toEqual(row);
    expect(body.firstSeen).toBeLessThanOrEqual(T0);
    expect(body.transitions.at(-1)).toEqual({ t: row.since, status: 'offline' });
    expect(body.transitions.every((c, i, a) => i === 0 || a[i - 1]!.t <= c.t)).toBe(true);

    const missing = await server.app.inject({ url: '/api/v1/devices/sim-999999-0' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const backwards = await server.app.inject({
      url: `/api/v1/devices/${row.id}?from=${T0 + 1000}&to=${T0}`,
    });
    expect(backwards.statusCode).toBe(400);
  });

  it('exports the list a table shows as CSV, with what it is in its header lines', async () => {
    const query = 'scope=region:europe&status=offline,degraded&sort=since&limit=1000';
    const { first, rows } = await listAll(query);
    const res = await server.app.inject({
      url: `/api/v1/devices.csv?snapshot=${first.snapshot.key}&tz=Europe/Paris`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="meridian-devices-region-europe-/,
    );
    const lines = res.body.trimEnd().split('\n');
    const comments = lines.filter((l) => l.startsWith('#'));
    expect(comments.join('\n')).toContain('scope: Europe (region:europe)');
    expect(comments.join('\n')).toContain('filters: status=degraded,offline');
    expect(comments.join('\n')).toMatch(
      /as of: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+01:00 \(Europe\/Paris\)/,
    );
    const [header, ...data] = lines.filter((l) => !l.startsWith('#'));
    expect(header).toBe(
      'id,site_id,site,country,technology,class,source,status,since,last_seen,data_rate_bytes_per_s',
    );
    expect(data).toHaveLength(rows.length);
    data.forEach((line, i) => {
      const r = rows[i]!;
      expect(line.startsWith(`${r.id},${r.site},`)).toBe(true);
      expect(line).toContain(`,${r.status},`);
    });

    expect(
      (await server.app.inject({ url: '/api/v1/devices.csv?tz=Mars/Olympus' })).statusCode,
    ).toBe(400);
    expect((await server.app.inject({ url: '/api/v1/devices.csv?snapshot=gone' })).statusCode).toBe(
      410,
    );
  });

  it('answers bad requests with 4xx and an expired cursor with 410', async () => {
    const page = await get('scope=global&limit=10');
    const cursor = page.body.next!;
    expect((await get(`cursor=${cursor}&scope=region:asia`)).body.error?.code).toBe(
      'invalid_parameter',
    );
    expect((await get(`cursor=${cursor}&scope=global`)).status).toBe(200);
    expect(await get('cursor=not-a-cursor')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_cursor' } },
    });
    expect(await get('scope=site:nowhere')).toMatchObject({
      status: 404,
      body: { error: { code: 'unknown_scope' } },
    });
    expect((await get('status=lost')).status).toBe(400);
    expect((await get('limit=0')).status).toBe(400);
    expect((await get('sort=colour')).status).toBe(400);
    clock.stall(5 * 60_000 + 1);
    expect(await get(`cursor=${cursor}`)).toMatchObject({
      status: 410,
      body: { error: { code: 'cursor_expired' } },
    });
  });
});

describe('status start times after a restart', () => {
  it('dates statuses that began before the restart from the registry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-devices-restart-'));
    const env = { SIM_DEVICES: '3000', TICK_MS: '5000', TICK_GRACE_MS: '100', DATA_DIR: dir };
    try {
      const clockA = new ManualClock(T0);
      const a = await startServer(env, clockA);
      clockA.advance(10 * 60_000);
      await a.close(); // the registry now holds each device's last change
      const clockB = new ManualClock(T0 + 11 * 60_000);
      const b = await startServer(env, clockB);
      try {
        clockB.advance(5000);
        await new Promise((r) => setImmediate(r)); // the registry is read just after start
        const page = (
          await b.app.inject({ url: '/api/v1/devices?scope=global&status=offline&limit=1000' })
        ).json() as DevicesResponse;
        const dated = page.rows.filter((r) => r.since !== null && r.since < T0 + 11 * 60_000);
        expect(dated.length).toBeGreaterThan(0);
        for (const r of dated.slice(0, 20)) {
          const one = (
            await b.app.inject({ url: `/api/v1/devices/${r.id}?from=0` })
          ).json() as DeviceResponse;
          // The date is the device's last logged change, to the status it still has.
          expect(one.transitions.at(-1)).toEqual({ t: r.since, status: r.status });
        }
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
