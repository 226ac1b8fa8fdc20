// The SQLite history store on this disk: batched write rate, bytes per row, read and prune
// times. Figures only, no assertions. Usage: node --import tsx bench/store.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { rng } from '../src/server/core/random.ts';
import { openSqliteStore } from '../src/server/storage/sqlite-store.ts';
import {
  MAX,
  METRIC_COUNT,
  MIN,
  N,
  ROW_WIDTH,
  SUM,
  type HistoryStore,
  type RollupBatch,
  type Tier,
} from '../src/server/storage/store.ts';
import { heading, median, mb, ms, num, table } from './support/report.ts';

const SERIES = 2452;
const SEC_SERIES = 249;
/** Minutes of 2,452 series: about a million minute rows. */
const MINUTES = 380;
/** Transactions that merge into minutes already written. */
const MERGES = 30;
const DAYS = 30;
const READS = 9;
const PRUNE_STEP = 10_000;
const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z

const random = rng(20_260_101);
/** Devices per series, tens to thousands, most series small. */
const devices = Float64Array.from({ length: SERIES }, () => Math.round(10 + 5000 * random() ** 3));

/** Per-second figures of one series: counts, then msgs/s and bytes/s (~250 B in, 60 B out). */
function perSecond(series: number, wobble: number, out: Float64Array): void {
  const d = devices[series]!;
  const online = Math.round(d * (0.85 + 0.1 * wobble));
  const degraded = Math.round((d - online) * 0.4);
  const msgs = Math.round(online * (0.15 + 0.1 * wobble));
  out.set([d, online, degraded, d - online - degraded, msgs, msgs * 250, msgs * 60]);
}

/** A whole bucket of `seconds` seconds for each series, with a little spread around the mean. */
function rows(tier: Tier, seriesIndex: readonly number[], seconds: number): Float64Array {
  const out = new Float64Array(seriesIndex.length * ROW_WIDTH);
  const v = new Float64Array(METRIC_COUNT);
  seriesIndex.forEach((s, i) => {
    perSecond(s, random(), v);
    const at = i * ROW_WIDTH;
    out[at + N] = seconds;
    for (let m = 0; m < METRIC_COUNT; m++) {
      const spread = Math.round(v[m]! * 0.05 * random());
      out[at + SUM + m] = v[m]! * seconds;
      out[at + MIN + m] = tier === 'sec' ? v[m]! : v[m]! - spread;
      out[at + MAX + m] = tier === 'sec' ? v[m]! : v[m]! + spread;
    }
  });
  return out;
}

function batch(tier: Tier, t: number, ids: Int32Array, index: readonly number[], s: number) {
  return { tier, t, series: ids, rows: rows(tier, index, s) } satisfies RollupBatch;
}

function timeReads(store: HistoryStore, ...args: Parameters<HistoryStore['read']>) {
  const times: number[] = [];
  let buckets = 0;
  // At least 3 runs; the slow reads stop after about a second, which keeps the job near 30 s.
  for (let i = 0, spent = 0; i < READS && (i < 3 || spent < 1000); i++) {
    const began = performance.now();
    buckets = store.read(...args).bucket.length;
    times.push(performance.now() - began);
    spent += times.at(-1)!;
  }
  return { ms: median(times), buckets };
}

const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-store-'));
const file = join(dir, 'history.db');
const store = openSqliteStore(file);
try {
  const index = Array.from({ length: SERIES }, (_, i) => i);
  const secIndex = index.slice(0, SEC_SERIES);
  const ids = Int32Array.from(store.seriesIds(index.map((i) => `series:${i}`)));
  const secIds = ids.slice(0, SEC_SERIES);

  // Writes: each transaction one minute of every series plus one second of 249.
  const writeRun = (minutes: number, firstMinute: number, withMinutes = true) => {
    const times: number[] = [];
    for (let k = 0; k < minutes; k++) {
      const t = T0 + (firstMinute + k) * 60;
      const rollups = [batch('sec', t + (k % 60), secIds, secIndex, 1)];
      if (withMinutes) rollups.push(batch('min', t, ids, index, 60));
      const began = performance.now();
      store.write({ rollups, coverage: [{ from: t, to: t + 60 }] });
      times.push(performance.now() - began);
    }
    const rowsPerTx = (withMinutes ? SERIES : 0) + SEC_SERIES;
    const total = times.reduce((a, b) => a + b, 0);
    return [
      num(minutes),
      num(rowsPerTx),
      ms(median(times)),
      ms(Math.max(...times)),
      num((rowsPerTx * minutes) / (total / 1000)),
    ];
  };
  heading(
    'writes',
    `one transaction = ${num(SERIES)} minute rows + ${SEC_SERIES} sec rows (upserts)`,
  );
  const inserts = writeRun(MINUTES, 0);
  const merges = writeRun(MERGES, 0);
  const seconds = writeRun(MERGES, MINUTES, false);
  table([
    ['kind', 'transactions', 'rows each', 'median', 'slowest', 'rows/s (all)'],
    ['new buckets', ...inserts],
    ['merging into stored', ...merges],
    ['sec rows only', ...seconds],
  ]);

  // One series over 30 days: minute rows (the tier a 30-day range should not use) and hours.
  const [one, two] = store.seriesIds(['bench:30d-a', 'bench:30d-b']) as [number, number];
  for (let day = 0; day < DAYS; day++) {
    const rollups: RollupBatch[] = [];
    for (let i = 0; i < 1440; i++) {
      const t = T0 + (day * 1440 + i) * 60;
      rollups.push(batch('min', t, Int32Array.of(one, two), [0, 1], 60));
    }
    for (let h = 0; h < 24; h++) {
      const t = T0 + (day * 24 + h) * 3600;
      rollups.push(batch('hour', t, Int32Array.of(one, two), [0, 1], 3600));
    }
    store.write({ rollups, coverage: [] });
  }
  for (let s = 0; s < 3600; s++) {
    store.write({ rollups: [batch('sec', T0 + s, Int32Array.of(one), [0], 1)], coverage: [] });
  }
  const end = T0 + DAYS * 86_400;
  const read = (label: string, ...args: Parameters<HistoryStore['read']>) => {
    const r = timeReads(store, ...args);
    return [label, num(r.buckets), ms(r.ms)];
  };
  heading('reads', `median of 3–${READS} runs; rows read = buckets × step / tier length × series`);
  table([
    ['read', 'buckets', 'median'],
    read('30 d of minutes, 1 series, step 3600', 'min', [one], T0, end, 3600),
    read('30 d of minutes, 1 series, step 60', 'min', [one], T0, end, 60),
    read('30 d of minutes, 2 series, step 3600', 'min', [one, two], T0, end, 3600),
    read('30 d of hours, 1 series, step 3600', 'hour', [one], T0, end, 3600),
    read('30 d of hours, 2 series, step 3600', 'hour', [one, two], T0, end, 3600),
    read('1 d of minutes, 1 series, step 60', 'min', [one], T0, T0 + 86_400, 60),
    read('1 h of seconds, 1 series, step 5', 'sec', [one], T0, T0 + 3600, 5),
  ]);

  // Bytes per row, from SQLite's own page statistics after moving the WAL into the file.
  store.checkpoint();
  const size = store.sizeBytes();
  const db = new Database(file, { readonly: true });
  const pages = new Map(
    (
      db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
        name: string;
        bytes: number;
      }[]
    ).map((r) => [r.name, r.bytes]),
  );
  const count = (tier: Tier) =>
    db.prepare(`SELECT count(*) FROM h_${tier}`).pluck().get() as number;
  const perTable = (['sec', 'min', 'hour'] as const).map((tier) => {
    const bytes = pages.get(`h_${tier}`) ?? 0;
    return [`h_${tier}`, num(count(tier)), mb(bytes), num(bytes / count(tier), 1)];
  });
  const allRows = (['sec', 'min', 'hour'] as const).reduce((a, tier) => a + count(tier), 0);
  db.close();
  heading('disk', `file after checkpoint: ${mb(size)}, ${num(size / allRows, 1)} bytes per row`);
  table([['table', 'rows', 'pages', 'bytes/row'], ...perTable]);

  // Prune an hour of minutes of every series in bounded steps.
  const pruneTimes: number[] = [];
  let pruned = 0;
  for (;;) {
    const began = performance.now();
    const deleted = store.prune('min', null, T0 + 3600, PRUNE_STEP);
    pruneTimes.push(performance.now() - began);
    if (deleted === 0) break;
    pruned += deleted;
  }
  heading(
    'prune',
    `minute rows older than the first hour, all series, ≤ ${num(PRUNE_STEP)} a call`,
  );
  table([
    ['rows', 'calls', 'median call', 'last call (nothing left)', 'rows/s'],
    [
      num(pruned),
      num(pruneTimes.length),
      ms(median(pruneTimes)),
      ms(pruneTimes.at(-1)!),
      num(pruned / (pruneTimes.reduce((a, b) => a + b, 0) / 1000)),
    ],
  ]);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
