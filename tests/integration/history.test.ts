import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../src/protocol/api.ts';
import type { TickPayload } from '../../src/protocol/live.ts';
import { METRICS } from '../../src/protocol/metrics.ts';
import { cellIndex } from '../../src/server/aggregate/cells.ts';
import { ManualClock } from '../../src/server/core/clock.ts';
import {
  closeSockets,
  collectTicks,
  openSocket,
  startServer,
  subscribe,
  waitFor,
  type RunningServer,
} from '../support/server.ts';

async function history(server: RunningServer, query: string) {
  const res = await server.app.inject({ url: `/api/v1/history?${query}` });
  return {
    status: res.statusCode,
    body: res.json() as HistoryResponse & { error?: { code: string; message: string } },
  };
}

afterEach(() => closeSockets());

describe('history of live ticks (real clock)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ SIM_DEVICES: '20000', TICK_MS: '1000', TICK_GRACE_MS: '50' });
  });
  afterAll(async () => server.close());

  it('equals, second by second, the ticks a socket received', async () => {
    const socket = openSocket(server.url);
    const ticks = collectTicks(socket);
    expect((await subscribe(socket, { scope: 'global' })).ok).toBe(true);
    await waitFor(() => ticks.length >= 3, 6000, '3 ticks');
    const first = ticks[0]!;
    const last = ticks.at(-1)!;
    const { status, body } = await history(
      server,
      `scope=global&from=${first.ts - 1000}&to=${last.ts}&maxPoints=100`,
    );
    expect(status).toBe(200);
    expect(body.stepMs).toBe(1000);
    expect(body.tier).toBe('sec');
    for (const tick of ticks) {
      const i = body.t.indexOf(tick.ts - 1000);
      expect(i, `second of tick ${tick.seq}`).toBeGreaterThanOrEqual(0);
      for (const m of METRICS) {
        expect(body.series[m]![i], m).toBe(tick.kpis[m]);
      }
      expect(body.completeness[i]).toBe(1);
    }
  });

  it('includes traffic that arrives late, in its own second', async () => {
    const socket = openSocket(server.url);
    const ticks = collectTicks(socket);
    await subscribe(socket, { scope: 'country:FR' });
    await waitFor(() => ticks.length >= 2, 6000, 'ticks');
    const tick = ticks[0] as TickPayload;
    const query = `scope=country:FR&metrics=msgRate,bytesInRate&from=${tick.ts - 1000}&to=${tick.ts}&maxPoints=1`;
    const before = (await history(server, query)).body.series;
    const paris = server.scopes.siteIndex('fr-paris')!;
    const result = server.pipeline.aggregator.fold(
      cellIndex(paris, 0, 0),
      tick.ts - 500,
      1000,
      64_000,
      0,
      Date.now(),
    );
    expect(result).toBe(1); // FOLD_LATE: its slot had closed
    const after = (await history(server, query)).body.series;
    expect(after.msgRate![0]).toBe(before.msgRate![0]! + 1000);
    expect(after.bytesInRate![0]).toBe(before.bytesInRate![0]! + 64_000);
  });

  it('keeps history by technology for scopes down to country, and says so for sites', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const kept = await history(server, 'scope=region:europe&tech=nb-iot&metrics=devices');
    expect(kept.status).toBe(200);
    expect(kept.body.kept).toBe(true);
    expect(kept.body.tier).toBe('hour');
    expect(kept.body.series.devices!.some((v) => v !== null && v > 0)).toBe(true);
    const site = await history(server, 'scope=site:fr-paris&tech=nb-iot');
    expect(site.status).toBe(200);
    expect(site.body.kept).toBe(false);
    expect(site.body.note).toMatch(/down to country/);
    expect(site.body.series.devices!.every((v) => v === null)).toBe(true);
  });

  it('returns null, never 0, where there is no data', async () => {
    const now = Date.now();
    // A day that ended a day before the server started: no bucket can reach into live data.
    const { body } = await history(
      server,
      `scope=global&from=${now - 2 * 86_400_000}&to=${now - 86_400_000}&maxPoints=8`,
    );
    expect(body.t.length).toBeGreaterThan(0);
    expect(body.series.devices!.every((v) => v === null)).toBe(true);
    expect(body.completeness.every((c) => c === 0)).toBe(true);
  });

  it('honours maxPoints with a whole-second step that fits the range', async () => {
    for (const maxPoints of [1, 7, 100, 1000]) {
      const { body } = await history(server, `scope=global&maxPoints=${maxPoints}`);
      expect(body.t.length).toBeLessThanOrEqual(maxPoints);
      expect(body.stepMs % 1000).toBe(0);
      expect(body.stepMs * maxPoints).toBeGreaterThanOrEqual(3_600_000);
      for (let i = 1; i < body.t.length; i++) expect(body.t[i]! - body.t[i - 1]!).toBe(body.stepMs);
    }
  });

  it.each([
    ['scope=global&from=yesterday', 'from'],
    ['scope=global&from=2000&to=1000', 'from'],
    ['scope=global&maxPoints=0', 'maxPoints'],
    ['scope=global&maxPoints=many', 'maxPoints'],
    ['scope=global&metrics=devices,temperature', 'metrics'],
    ['scope=global&tech=nb-iot&class=camera', 'class'],
    ['scope=global&tech=pigeon', 'tech'],
    ['metrics=devices', 'scope'],
    ['scope=global&colour=blue', 'colour'],
  ])('GET /api/v1/history?%s → 400 naming %s', async (query, name) => {
    const { status, body } = await history(server, query);
    expect(status).toBe(400);
    expect(body.error?.code).toBe('invalid_parameter');
    expect(body.error?.message).toContain(name);
  });

  it('an unknown scope is a 404', async () => {
    const { status, body } = await history(server, 'scope=country:ZZ');
    expect(status).toBe(404);
    expect(body.error?.code).toBe('unknown_scope');
  });
});

describe('history on the injected clock', () => {
  const T0 = Date.UTC(2026, 10, 26, 10, 0, 5); // 10:00:05 UTC
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'meridian-history-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reports the share of each bucket covered by data', async () => {
    const clock = new ManualClock(T0);
    const server = await startServer(
      { TICK_MS: '1000', TICK_GRACE_MS: '100', DATA_DIR: join(dataDir, 'a') },
      clock,
    );
    clock.advance(20_000);
    const from = Date.UTC(2026, 10, 26, 10, 0, 0);
    const { body } = await history(
      server,
      `scope=global&from=${from}&to=${from + 20_000}&maxPoints=2`,
    );
    await server.close();
    expect(body.stepMs).toBe(10_000);
    // Live history starts at 10:00:04 (one tick before start): 6 of the first 10 seconds.
    expect(body.completeness[0]).toBeCloseTo(0.6, 10);
    expect(body.completeness[1]).toBe(1);
    expect(body.series.devices![0]).toBeGreaterThan(4900);
  });

  it('continues across a restart on the same data dir: no hole, no second written twice', async () => {
    const dir = join(dataDir, 'b');
    const env = {
      TICK_MS: '1000',
      TICK_GRACE_MS: '100',
      DATA_DIR: dir,
      BACKFILL_DAYS: '1',
      RETAIN_SECONDS: '5m',
      RETAIN_SITE_MINUTES: '1h',
    };
    const clockA = new ManualClock(T0);
    const a = await startServer(env, clockA);
    await waitFor(() => a.history.backfill.status.state === 'done', 150_000, 'first back-fill');
    clockA.advance(30_000);
    await a.close(); // stopped at 10:00:35
    const clockB = new ManualClock(T0 + 120_000); // 90 s later
    const b = await startServer(env, clockB);
    await waitFor(() => b.history.backfill.status.state === 'done', 150_000, 'restart back-fill');
    clockB.advance(15_000);
    b.history.recorder.flush();
    const id = b.history.catalog.dbIds[b.history.catalog.unfiltered('global')!]!;
    const fromS = Math.floor(T0 / 1000) - 240;
    const toS = Math.floor((T0 + 130_000) / 1000);
    const seconds = b.history.reader().store.read('sec', [id], fromS, toS, 1);
    const n = new Map(seconds.bucket.map((k, i) => [k, seconds.n[i]!]));
    const holes: number[] = [];
    const twice: number[] = [];
    for (let k = 0; k < toS - fromS; k++) {
      if (!n.has(k)) holes.push(fromS + k);
      else if (n.get(k) !== 1) twice.push(fromS + k);
    }
    const minutes = b.history
      .reader()
      .store.read('min', [id], fromS - (fromS % 60), toS - (toS % 60), 60);
    await b.close();
    expect(holes).toEqual([]);
    expect(twice).toEqual([]);
    expect(minutes.n.every((x) => x === 60)).toBe(true);
    expect(minutes.n.length).toBeGreaterThanOrEqual(5);
  }, 360_000);
});

describe('device registry and transition log', () => {
  it('registers the simulated fleet and logs its status changes, none for a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-registry-'));
    const T = Date.UTC(2026, 10, 26, 12, 0, 0);
    const env = { TICK_MS: '1000', TICK_GRACE_MS: '100', DATA_DIR: dir };
    const clockA = new ManualClock(T);
    const a = await startServer(env, clockA);
    clockA.advance(180_000);
    await a.close();
    const clockB = new ManualClock(T + 240_000);
    const b = await startServer(env, clockB);
    clockB.advance(5000);
    b.history.devices.flush();
    const { openSqliteDeviceStore } =
      await import('../../src/server/storage/sqlite-device-store.ts');
    await b.close();
    const store = openSqliteDeviceStore(join(dir, 'devices.db'));
    try {
      expect(store.deviceCount()).toBeGreaterThan(4900);
      expect(a.history.devices.transitionsWritten).toBeGreaterThan(0);
      let logged = 0;
      let restartRows = 0;
      for (let d = 0; d < 5000; d++) {
        const id = b.pipeline.simulator!.deviceId(d);
        const log = store.transitions(id, T - 1, T + 300_000);
        logged += log.length;
        restartRows += log.filter((c) => c.t === T + 240_000 - 1000).length;
        const last = log.at(-1);
        if (last) expect(store.device(id)!.status).toBe(last.status);
      }
      expect(logged).toBeGreaterThan(10);
      expect(restartRows).toBe(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
