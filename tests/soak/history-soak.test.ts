// Soak: eight simulated days of history on the injected clock, in well under two minutes.
//
// Live replay costs ~5 ms per simulated second, so the days are driven a simulated minute at a
// time exactly as the back-fill's coarse mode does (Simulator with 60 s slots → ReplaySink →
// SeriesValues → HistoryRecorder.recordBlock), into a real SQLite file, with retention scaled
// down so that every tier reaches its steady state by day 5. The claim under test: once retention
// runs, the database size, the process memory and the read times stop growing with age, and the
// answers stay right (complete buckets, the right tier, tiers that agree with each other).
//
// The time goes into SQLite upserts, which scale with the number of series, not devices. So the
// fleet is small (5,000 devices) and so is the site catalog: the ten largest sites of ten
// countries in every region (100 sites, 372 series instead of 6,436). Retention, level-off and
// read paths do not depend on those numbers; bench/history-*.ts measures the full catalog.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryQuery, HistoryResponse } from '../../src/protocol/api.ts';
import { METRICS } from '../../src/protocol/metrics.ts';
import { CELLS_PER_SITE } from '../../src/server/aggregate/cells.ts';
import { ManualClock } from '../../src/server/core/clock.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { silentLogger } from '../../src/server/core/logger.ts';
import { ReplaySink } from '../../src/server/history/backfill.ts';
import { readHistory, type HistoryReader } from '../../src/server/history/query.ts';
import { HistoryRecorder } from '../../src/server/history/recorder.ts';
import { Retention } from '../../src/server/history/retention.ts';
import { SeriesCatalog } from '../../src/server/history/series-catalog.ts';
import { SeriesValues } from '../../src/server/history/series-values.ts';
import { loadSiteCatalog } from '../../src/server/sites/catalog.ts';
import { ScopeIndex } from '../../src/server/sites/scope-index.ts';
import { Simulator } from '../../src/server/simulator/simulator.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite-store.ts';
import type { HistoryStore, Tier } from '../../src/server/storage/store.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const DAYS = 8;
const FLUSH_EVERY_MIN = 10;
const RETENTION_EVERY_MIN = 60;
const READ_REPEATS = 9;
/** Monday 2026-01-05 00:00 UTC. */
const T0 = Date.UTC(2026, 0, 5);
const COUNTRIES = new Set(['DE', 'FR', 'GB', 'NG', 'ZA', 'US', 'BR', 'JP', 'IN', 'AU']);
const SITES_PER_COUNTRY = 10;

/** Day 5: every tier has been pruned for at least a day (hours, the longest, from day 4). */
const STEADY_FROM_DAY = 5;
const SIZE_GROWTH = 1.15;
const RSS_GROWTH = 1.25;
const HEAP_SLACK = 8 * 1024 * 1024;
const READ_GROWTH = 2;
const READ_SLACK_MS = 5;

const config = loadConfig({
  SIM_DEVICES: '5000',
  RETAIN_SECONDS: '10m',
  RETAIN_SITE_MINUTES: '6h',
  RETAIN_MINUTES: '2d',
  RETAIN_HOURS: '4d',
});
const retain = config.history.retain;

/** The largest sites of a few countries, kept in the catalog's (region, country) order. */
function smallScopes(): ScopeIndex {
  const catalog = loadSiteCatalog();
  const taken = new Map<string, number>();
  const sites = catalog.sites.filter((s) => {
    if (!COUNTRIES.has(s.country)) return false;
    const n = taken.get(s.country) ?? 0;
    taken.set(s.country, n + 1);
    return n < SITES_PER_COUNTRY;
  });
  return new ScopeIndex({ ...catalog, sites });
}

/** A full GC when V8 lets us ask for one (the trick jest's leak detector uses), else nothing. */
function garbageCollector(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => undefined;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

interface Read {
  name: string;
  scope: string;
  rangeMs: number;
  query: Partial<HistoryQuery>;
  /** First day it is read (the range must lie within the simulated days). */
  fromDay: number;
}

const READS: Read[] = [
  { name: 'global 24h', scope: 'global', rangeMs: DAY, query: {}, fromDay: 1 },
  { name: 'FR 24h', scope: 'country:FR', rangeMs: DAY, query: {}, fromDay: 1 },
  { name: 'Paris 6h', scope: 'site:fr-paris', rangeMs: 6 * HOUR, query: {}, fromDay: 1 },
  {
    name: 'europe×tech 2d',
    scope: 'region:europe',
    rangeMs: 2 * DAY,
    query: { tech: ['nb-iot', 'lte-m'] },
    fromDay: 2,
  },
  { name: 'global 3d', scope: 'global', rangeMs: 3 * DAY, query: {}, fromDay: 3 },
];

interface DayRecord {
  day: number;
  wallS: number;
  sizeBytes: number;
  rss: number;
  heap: number;
  rows: Record<Tier, number>;
  retentionMaxMs: number;
  flushMaxMs: number;
  readMs: Record<string, number>;
}

describe('history soak: 8 simulated days, minute by minute', () => {
  let dir: string;
  let store: HistoryStore;
  let counter: Database.Database | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-soak-'));
    store = openSqliteStore(join(dir, 'history.db'));
  });
  afterAll(() => {
    counter?.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('levels off in size and memory once retention runs, and reads do not slow with age', () => {
    const gc = garbageCollector();
    const scopes = smallScopes();
    const clock = new ManualClock(T0);
    // Built as HistoryService builds them.
    const catalog = new SeriesCatalog(scopes, store);
    const values = new SeriesValues(catalog);
    const recorder = new HistoryRecorder(
      catalog,
      store,
      silentLogger(),
      0,
      () => clock.now() - retain.siteMinMs,
    );
    const retention = new Retention(store, catalog, config.history);
    const reader: HistoryReader = {
      catalog,
      store,
      retain,
      mergePending: (tier, local, fromS, toS, stepS, r) =>
        recorder.mergePending(tier, local, fromS, toS, stepS, r),
      now: () => clock.now(),
    };
    // As Backfill.coarse: whole minutes from the simulator's aggregate model.
    const sink = new ReplaySink(scopes.sites.length * CELLS_PER_SITE);
    const sim = new Simulator({ ...config.simulator, scopes, slotMs: MINUTE, sink });
    sim.start(T0);
    counter = new Database(join(dir, 'history.db'), { readonly: true });
    const rowCount = (tier: Tier) =>
      counter!.prepare(`SELECT count(*) FROM h_${tier}`).pluck().get() as number;
    const id = (scope: string) => catalog.dbIds[catalog.unfiltered(scope)!]!;

    const read = (r: Read): HistoryResponse => {
      const now = clock.now();
      const q = { scope: r.scope, maxPoints: 1000, ...r.query, from: now - r.rangeMs, to: now };
      return readHistory(reader, scopes.resolve(r.scope)!, q);
    };

    /** Every bucket that lies wholly within the simulated time is complete and has values. */
    const expectComplete = (r: Read, res: HistoryResponse, day: number) => {
      const now = clock.now();
      let full = 0;
      res.t.forEach((start, i) => {
        if (start < T0 || start + res.stepMs > now) return;
        full++;
        const where = `${r.name}, day ${day}, bucket ${new Date(start).toISOString()}`;
        expect(res.completeness[i], where).toBe(1);
        for (const m of METRICS) expect(res.series[m]![i], `${where}, ${m}`).not.toBeNull();
        expect(res.series.devices![i], where).toBeGreaterThan(0);
      });
      expect(full, `${r.name}, day ${day}: full buckets`).toBeGreaterThanOrEqual(
        Math.floor(r.rangeMs / res.stepMs) - 1,
      );
    };

    const checkDay = (day: number) => {
      const now = clock.now();
      const byName = Object.fromEntries(
        READS.filter((r) => day >= r.fromDay).map((r) => [r.name, read(r)]),
      );
      for (const r of READS) if (byName[r.name]) expectComplete(r, byName[r.name]!, day);
      // The resolution follows the range, and each tier is read while it still holds the range.
      expect(byName['global 24h']!).toMatchObject({ tier: 'min', stepMs: 2 * MINUTE });
      expect(byName['Paris 6h']!).toMatchObject({ tier: 'min', stepMs: MINUTE });
      if (byName['europe×tech 2d']) {
        expect(byName['europe×tech 2d']).toMatchObject({ tier: 'hour', stepMs: HOUR, kept: true });
      }
      // Older than the minute retention: served whole from the hour tier.
      if (byName['global 3d']) expect(byName['global 3d']).toMatchObject({ tier: 'hour' });

      // The hour tier holds exactly the sum of the minutes it was built from (last 24 h).
      const fromS = (now - DAY) / 1000;
      const hours = store.read('hour', [id('global')], fromS, now / 1000, 3600);
      const minutes = store.read('min', [id('global')], fromS, now / 1000, 3600);
      expect(hours.bucket, `day ${day}`).toHaveLength(24);
      expect(hours.n, `day ${day}`).toEqual(minutes.n);
      expect(hours.sums, `day ${day}`).toEqual(minutes.sums);

      // Retention deletes exactly what each tier no longer keeps: not later, not earlier.
      const expectFirst = (tier: Tier, scope: string, keepMs: number) => {
        const extent = store.extent(tier, id(scope));
        const oldest = Math.max(T0, now - keepMs) / 1000;
        expect(extent?.first, `${tier} of ${scope}, day ${day}`).toBe(
          Math.ceil(oldest / (tier === 'hour' ? 3600 : 60)) * (tier === 'hour' ? 3600 : 60),
        );
      };
      expectFirst('min', 'site:fr-paris', retain.siteMinMs);
      expectFirst('min', 'country:FR', retain.minMs);
      expectFirst('hour', 'global', retain.hourMs);
    };

    /** Median time of each read due on `day`, over `repeats` runs. */
    const timeReads = (day: number, repeats: number): Record<string, number> => {
      const readMs: Record<string, number> = {};
      for (const r of READS.filter((x) => day >= x.fromDay)) {
        const times: number[] = [];
        for (let k = 0; k < repeats; k++) {
          const began = performance.now();
          read(r);
          times.push(performance.now() - began);
        }
        readMs[r.name] = median(times);
      }
      return readMs;
    };

    const records: DayRecord[] = [];
    let retentionMaxMs = 0;
    let flushMaxMs = 0;
    let dayBegan = performance.now();
    try {
      for (let minute = 1; minute <= DAYS * 1440; minute++) {
        const t = clock.now();
        sim.advanceTo(t + MINUTE);
        recorder.recordBlock(t, 60, values.compute(sink.traffic, sink.counts));
        sink.traffic.fill(0);
        clock.advance(MINUTE);
        if (minute % FLUSH_EVERY_MIN === 0) {
          recorder.flush();
          flushMaxMs = Math.max(flushMaxMs, recorder.lastFlushMs);
        }
        if (minute % RETENTION_EVERY_MIN === 0) {
          const began = performance.now();
          retention.run(clock.now(), Infinity);
          retentionMaxMs = Math.max(retentionMaxMs, performance.now() - began);
        }
        if (minute % 1440 !== 0) continue;

        const day = minute / 1440;
        const wallS = (performance.now() - dayBegan) / 1000;
        checkDay(day);
        const readMs = timeReads(day, READ_REPEATS);
        store.checkpoint();
        gc();
        const mem = process.memoryUsage();
        records.push({
          day,
          wallS,
          sizeBytes: store.sizeBytes(),
          rss: mem.rss,
          heap: mem.heapUsed,
          rows: {
            sec: rowCount('sec'),
            min: rowCount('min'),
            hour: rowCount('hour'),
            day: rowCount('day'),
          },
          retentionMaxMs,
          flushMaxMs,
          readMs,
        });
        retentionMaxMs = 0;
        flushMaxMs = 0;
        dayBegan = performance.now();
      }
    } finally {
      printTable(records, catalog.size, scopes.sites.length);
    }

    expect(records).toHaveLength(DAYS);
    expect(retention.deletedRows).toBeGreaterThan(0);
    const steady = records.filter((r) => r.day >= STEADY_FROM_DAY);
    const base = steady[0]!;
    for (const r of steady) {
      const at = `day ${r.day} vs day ${base.day}`;
      expect(r.sizeBytes, `database size, ${at}`).toBeLessThanOrEqual(base.sizeBytes * SIZE_GROWTH);
      expect(r.rss, `RSS, ${at}`).toBeLessThanOrEqual(base.rss * RSS_GROWTH);
      expect(r.heap, `JS heap after GC, ${at}`).toBeLessThanOrEqual(base.heap + HEAP_SLACK);
      // Retention holds each tier at one level (the day tier grows by a day's rows each day, as
      // RETAIN_DAYS=0 keeps it forever). Within 2 %: a filtered series with no device and no
      // traffic in a bucket writes no row, so counts may move a little with the simulator.
      for (const tier of ['min', 'hour'] as const) {
        expect(r.rows[tier], `${tier} rows, ${at}`).toBeGreaterThanOrEqual(base.rows[tier] * 0.98);
        expect(r.rows[tier], `${tier} rows, ${at}`).toBeLessThanOrEqual(base.rows[tier] * 1.02);
      }
    }
    const early = records.find((r) => r.day === 2)!;
    const last = { ...records.at(-1)!.readMs };
    const limit = (name: string) => READ_GROWTH * early.readMs[name]! + READ_SLACK_MS;
    const names = Object.keys(early.readMs);
    // The store is still as it was on the last day: a read slowed by another process on the
    // machine is fast when measured again, one slowed by the data is not.
    if (names.some((name) => last[name]! >= limit(name))) {
      const again = timeReads(DAYS, 3 * READ_REPEATS);
      for (const name of names) last[name] = Math.min(last[name]!, again[name]!);
      console.log(`reads of day ${DAYS} measured again: ${JSON.stringify(again)}`);
    }
    for (const name of names) {
      expect(last[name], `median time of "${name}", day ${DAYS} vs day 2`).toBeLessThan(
        limit(name),
      );
    }
  }, 300_000);
});

function printTable(records: DayRecord[], series: number, sites: number): void {
  if (records.length === 0) return;
  const names = Object.keys(records.at(-1)!.readMs);
  const head = [
    'day',
    'wall s',
    'db MB',
    'RSS MB',
    'heap MB',
    'min rows',
    'hour rows',
    'day rows',
    'retention max ms',
    'flush max ms',
    ...names.map((n) => `${n} ms`),
  ];
  const rows = records.map((r) => [
    String(r.day),
    r.wallS.toFixed(1),
    mb(r.sizeBytes),
    mb(r.rss),
    mb(r.heap),
    String(r.rows.min),
    String(r.rows.hour),
    String(r.rows.day),
    r.retentionMaxMs.toFixed(1),
    r.flushMaxMs.toFixed(1),
    ...names.map((n) => (r.readMs[n] === undefined ? '—' : r.readMs[n]!.toFixed(2))),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((s, c) => s.padStart(widths[c]!)).join('  ');
  console.log(
    [
      `history soak: ${sites} sites, ${series} series, 5,000 devices, one simulated minute per step`,
      `retention: seconds ${retain.secMs / MINUTE} min, site minutes ${retain.siteMinMs / HOUR} h, ` +
        `minutes ${retain.minMs / DAY} d, hours ${retain.hourMs / DAY} d; reads: median of ${READ_REPEATS}`,
      line(head),
      ...rows.map(line),
    ].join('\n'),
  );
}
