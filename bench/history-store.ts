// History at the default fleet (100,000 devices, 6,436 series) with the default retention:
// 30 days in the store, then 5 minutes of the real live path (Pipeline + HistoryService on a
// ManualClock), then read latency by range, then bytes on disk per tier. Figures, no assertions.
// Usage: node --import tsx bench/history-store.ts
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../src/server/core/clock.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { silentLogger } from '../src/server/core/logger.ts';
import { readHistory } from '../src/server/history/query.ts';
import { SeriesCatalog } from '../src/server/history/series-catalog.ts';
import { HistoryService } from '../src/server/history/service.ts';
import { Pipeline } from '../src/server/pipeline.ts';
import { loadSiteCatalog } from '../src/server/sites/catalog.ts';
import { ScopeIndex } from '../src/server/sites/scope-index.ts';
import { openSqliteDeviceStore } from '../src/server/storage/sqlite-device-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite-store.ts';
import { TIERS, type Tier } from '../src/server/storage/store.ts';
import { fillHistory } from './support/history-fill.ts';
import { BENCH_START } from './support/pipeline.ts';
import { heading, mb, median, ms, num, percentile, table } from './support/report.ts';
import { timedStore, type StoreCall } from './support/timed-store.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DAYS = 30;
const LIVE_SECONDS = 300;
const READS = 40;
const PENDING_READS = 15;
const RANGES: [string, number][] = [
  ['1 h', HOUR],
  ['24 h', DAY],
  ['7 d', 7 * DAY],
  ['30 d', 30 * DAY],
];
const SCOPES = ['global', 'country:FR'];
const GB = 1024 ** 3;

const END = BENCH_START;
const LIVE_FROM = END - LIVE_SECONDS * 1000;
const config = loadConfig({ BACKFILL_DAYS: '0' });
const retain = config.history.retain;
const scopes = new ScopeIndex(loadSiteCatalog());
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-history-'));
const file = join(dir, 'meridian.db');
const calls: StoreCall[] = [];
const store = timedStore(openSqliteStore(file), calls);
const devices = openSqliteDeviceStore(join(dir, 'devices.db'));
const days = (ms: number) => (ms === 0 ? 'forever' : `${num(ms / DAY, ms % DAY ? 2 : 0)} d`);

/** Bytes this process has passed to write(2), and those that reached the block layer. */
function written(): { wchar: number; disk: number } {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1]);
    return { wchar: field('wchar'), disk: field('write_bytes') };
  } catch {
    return { wchar: Number.NaN, disk: Number.NaN };
  }
}

function summary(values: number[]): string[] {
  return [ms(median(values)), ms(percentile(values, 95)), ms(Math.max(...values))];
}

try {
  // 1. Thirty days as the default retention leaves them.
  const catalog = new SeriesCatalog(scopes, store);
  const fill = fillHistory({ config, scopes, store, catalog, until: LIVE_FROM, days: DAYS });
  store.checkpoint();
  heading(
    `history-store: ${num(config.simulator.devices)} devices, ${num(scopes.sites.length)} sites, ` +
      `${num(catalog.size)} series, ${DAYS} days`,
    `retention: seconds ${days(retain.secMs)}, site minutes ${days(retain.siteMinMs)}, ` +
      `minutes ${days(retain.minMs)}, hours ${days(retain.hourMs)}, days ${days(retain.dayMs)}`,
  );
  const fillRows = fill.upserts.seconds + fill.upserts.minutes + fill.upserts.hoursAndDays;
  table([
    ['fill step', 'value'],
    ['one simulated day at hour resolution (the values)', ms(fill.profileMs)],
    ['writing 30 days through HistoryRecorder', `${num(fill.fillMs / 1000, 1)} s`],
    [
      'row upserts (sec / min / hour+day)',
      Object.values(fill.upserts)
        .map((n) => num(n))
        .join(' / '),
    ],
    ['upserts per second of fill', num(fillRows / (fill.fillMs / 1000))],
    ['store after the fill (checkpointed)', mb(store.sizeBytes())],
  ]);

  // 2. The live path on top: Pipeline + HistoryService, driven second by second.
  calls.length = 0;
  const clock = new ManualClock(LIVE_FROM);
  const logger = silentLogger();
  const pipeline = new Pipeline(config, scopes, clock, logger);
  let mark = 0;
  const recordMs: number[] = [];
  pipeline.onSecond(() => (mark = performance.now()));
  const history = new HistoryService(config, scopes, store, devices, pipeline, clock, logger);
  pipeline.onSecond(() => recordMs.push(performance.now() - mark));
  pipeline.start();
  history.start();
  const stepMs: number[] = [];
  const io = written();
  const passes: {
    ms: number;
    rows: number;
    tierMs: Record<Tier, number>;
    reachedHours: boolean;
  }[] = [];
  for (let s = 0; s < LIVE_SECONDS; s++) {
    const before = calls.length;
    const began = performance.now();
    clock.advance(1000);
    stepMs.push(performance.now() - began);
    const prunes = calls.slice(before).filter((c) => c.kind === 'prune');
    if (prunes.length > 0) {
      passes.push({
        ms: prunes.reduce((a, c) => a + c.ms, 0),
        rows: prunes.reduce((a, c) => a + c.rows, 0),
        tierMs: Object.fromEntries(
          TIERS.map((t) => [t, prunes.filter((c) => c.tier === t).reduce((a, c) => a + c.ms, 0)]),
        ) as Record<Tier, number>,
        reachedHours: prunes.some((c) => c.tier === 'hour'),
      });
    }
  }
  const ioAfter = written();
  // Only the history store is timed: devices.db (the fleet registered at the first flush, then
  // status transitions) is written in the same timer callback and shows in the step times.
  const writes = calls.filter((c) => c.kind === 'write');
  const writeRows = writes.reduce((a, c) => a + c.rows, 0);
  const writeMs = writes.reduce((a, c) => a + c.ms, 0);
  const checkpoints = calls.filter((c) => c.kind === 'checkpoint');
  heading(
    `live path: ${LIVE_SECONDS} simulated seconds on the 30-day store`,
    'HistoryService as buildServer makes it: a flush every 10 s, retention (50 ms budget) every 60 s.',
  );
  table([
    ['figure', 'median', 'p95', 'max'],
    ['history per live second (SeriesValues.compute + recordSecond)', ...summary(recordMs)],
    [`flush: store.write (${writes.length} flushes)`, ...summary(writes.map((c) => c.ms))],
    ['retention pass (all prune calls of one run)', ...summary(passes.map((p) => p.ms))],
    ['— seconds rule (all series)', ...summary(passes.map((p) => p.tierMs.sec))],
    ['— the two minute rules (sites, others)', ...summary(passes.map((p) => p.tierMs.min))],
    [
      '— hours rule (all series; reached in the passes counted below)',
      ...summary(passes.map((p) => p.tierMs.hour)),
    ],
    [`checkpoint (${checkpoints.length})`, ...summary(checkpoints.map((c) => c.ms))],
    ['whole pipeline step (tick + history + timers)', ...summary(stepMs)],
  ]);
  console.log('');
  const expiring = 60 * catalog.tierSeries.sec.length + catalog.tierSeries.min.length;
  table([
    ['figure', 'value'],
    ['rows per flush (median)', num(median(writes.map((c) => c.rows)))],
    ['flush rows/s', num(writeRows / (writeMs / 1000))],
    [
      'history write time per live second (compute + record + flush share)',
      ms(recordMs.reduce((a, b) => a + b, 0) / recordMs.length + writeMs / LIVE_SECONDS),
    ],
    ['rows deleted per retention pass (median)', num(median(passes.map((p) => p.rows)))],
    ['rows expiring per minute (seconds + minutes; hours once an hour)', num(expiring)],
    [
      'retention passes that reached the hour rule (the budget did not stop them)',
      `${passes.filter((p) => p.reachedHours).length} of ${passes.length}`,
    ],
    [
      'bytes written per live second: write(2) / block layer (WAL, checkpoints, devices.db)',
      `${mb((ioAfter.wchar - io.wchar) / LIVE_SECONDS)} / ${mb((ioAfter.disk - io.disk) / LIVE_SECONDS)}`,
    ],
  ]);

  // 3. Reads: idle (nothing pending), then as in production, with a live second pending.
  const reader = history.reader();
  history.recorder.flush();
  const readOnce = (scope: string, rangeMs: number) => {
    const now = clock.now();
    const q = { scope, maxPoints: 1000, from: now - rangeMs, to: now };
    const began = performance.now();
    const res = readHistory(reader, scopes.resolve(scope)!, q);
    return { ms: performance.now() - began, res };
  };
  const rows: string[][] = [['scope', 'range', 'tier', 'step', 'buckets', 'p50', 'p95']];
  const p95: Record<string, number> = {};
  for (const scope of SCOPES) {
    for (const [label, rangeMs] of RANGES) {
      const times: number[] = [];
      let last = readOnce(scope, rangeMs).res;
      for (let k = 0; k < READS; k++) {
        const r = readOnce(scope, rangeMs);
        times.push(r.ms);
        last = r.res;
      }
      p95[`${scope} ${label}`] = percentile(times, 95);
      rows.push([
        scope,
        label,
        last.tier,
        `${last.stepMs / 1000} s`,
        num(last.t.length),
        ms(median(times)),
        ms(percentile(times, 95)),
      ]);
    }
  }
  heading(
    'reads',
    `readHistory at maxPoints=1000, ${READS} times each after a warm-up; nothing pending`,
  );
  table(rows);
  console.log('');
  const ratio = p95['global 30 d']! / p95['global 1 h']!;
  console.log(
    `targets: p95 of 30 d ≤ 20 ms: ${ms(p95['global 30 d']!)} global, ${ms(p95['country:FR 30 d']!)} FR;` +
      ` 30 d within 2× of 1 h: ${num(ratio, 2)}×`,
  );
  const pending: string[][] = [['read, one live second after the previous', 'p50', 'p95', 'max']];
  for (const [label, rangeMs] of RANGES.slice(0, 2)) {
    const times: number[] = [];
    for (let k = 0; k < PENDING_READS; k++) {
      clock.advance(1000);
      times.push(readOnce('global', rangeMs).ms);
    }
    pending.push([`global ${label} (includes the flush readHistory does)`, ...summary(times)]);
  }
  console.log('');
  table(pending);

  // 4. Bytes on disk per tier.
  history.stop();
  pipeline.stop();
  store.checkpoint();
  const size = store.sizeBytes();
  const db = new Database(file, { readonly: true });
  const pageBytes = new Map(
    (
      db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
        name: string;
        bytes: number;
      }[]
    ).map((r) => [r.name, r.bytes]),
  );
  const free = (db.pragma('freelist_count', { simple: true }) as number) * 4096;
  const count = (tier: Tier) =>
    db.prepare(`SELECT count(*) FROM h_${tier}`).pluck().get() as number;
  const endS = clock.now() / 1000;
  const overdue = (sql: string, keepMs: number) =>
    keepMs === 0
      ? 0
      : (db
          .prepare(sql)
          .pluck()
          .get(endS - keepMs / 1000) as number);
  const sitesOf = "SELECT id FROM series WHERE key LIKE 'site:%'";
  const backlog = [
    overdue('SELECT count(*) FROM h_sec WHERE t < ?', retain.secMs),
    overdue(`SELECT count(*) FROM h_min WHERE t < ? AND series IN (${sitesOf})`, retain.siteMinMs),
    overdue(`SELECT count(*) FROM h_min WHERE t < ? AND series NOT IN (${sitesOf})`, retain.minMs),
    overdue('SELECT count(*) FROM h_hour WHERE t < ?', retain.hourMs),
  ];
  const keep: Record<Tier, string> = {
    sec: days(retain.secMs),
    min: `${days(retain.siteMinMs)} sites, ${days(retain.minMs)} others`,
    hour: days(retain.hourMs),
    day: days(retain.dayMs),
  };
  const tierRows = TIERS.map((tier) => {
    const bytes = pageBytes.get(`h_${tier}`) ?? 0;
    const n = count(tier);
    return { tier, n, bytes, perRow: bytes / Math.max(1, n) };
  });
  db.close();
  const byTier = Object.fromEntries(tierRows.map((r) => [r.tier, r]));
  // A day of history before retention, at the observed bytes per row.
  const hourSeries = byTier.hour!.n / (DAYS * 24);
  const perDay = {
    sec: 86_400 * catalog.tierSeries.sec.length * byTier.sec!.perRow,
    min: 1440 * catalog.tierSeries.min.length * byTier.min!.perRow,
    hour: 24 * hourSeries * byTier.hour!.perRow,
    day: hourSeries * byTier.day!.perRow,
  };
  const moreDays = Math.max(0, (retain.hourMs - DAYS * DAY) / DAY);
  const steady = size + moreDays * (perDay.hour + perDay.day);
  heading(
    'disk',
    `file after checkpoint: ${mb(size)} (target ≤ 1 GB after 30 days: ` +
      `${size <= GB ? 'met' : 'MISSED'}); free pages ${mb(free)}; devices.db ${mb(statSync(join(dir, 'devices.db')).size)}`,
  );
  table([
    ['tier', 'kept', 'rows', 'on disk', 'bytes/row', 'one day before retention'],
    ...tierRows.map((r) => [
      `h_${r.tier}`,
      keep[r.tier],
      num(r.n),
      mb(r.bytes),
      num(r.perRow, 1),
      mb(perDay[r.tier]),
    ]),
  ]);
  console.log('');
  console.log(
    `rows past their retention at the end (sec / site min / min / hour): ${backlog.map((n) => num(n)).join(' / ')}` +
      ' (retention runs every 60 s: up to a minute of rows is normal)',
  );
  const upsertBytes = (writeRows / LIVE_SECONDS) * (size / tierRows.reduce((a, r) => a + r.n, 0));
  console.log(
    `live path: ${mb((ioAfter.wchar - io.wchar) / LIVE_SECONDS)} written per second for ` +
      `${num(writeRows / LIVE_SECONDS)} row upserts per second (~${mb(upsertBytes)} of rows): ` +
      `${num((ioAfter.wchar - io.wchar) / LIVE_SECONDS / upsertBytes, 0)}× write amplification, ` +
      `${num((((ioAfter.wchar - io.wchar) / LIVE_SECONDS) * 86_400) / GB, 0)} GB a day`,
  );
  console.log(
    `steady state (hours reach ${days(retain.hourMs)}): ~${mb(steady)}; then the day tier adds ` +
      `${mb(perDay.day * 365)} a year (RETAIN_DAYS=0 keeps it forever)`,
  );
} finally {
  store.close();
  devices.close();
  rmSync(dir, { recursive: true, force: true });
}
