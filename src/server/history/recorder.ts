import type { Logger } from 'pino';
import {
  MAX,
  METRIC_COUNT,
  MIN,
  N,
  ROW_WIDTH,
  SUM,
  TIER_SECONDS,
  TIERS,
  type CoverageInterval,
  type HistoryStore,
  type ReadResult,
  type RollupBatch,
  type Tier,
} from '../storage/store.ts';
import { lateSpan, onePiece, type LateSpan } from '../aggregate/aggregator.ts';
import { LateTier } from './late-buckets.ts';
import type { SeriesCatalog } from './series-catalog.ts';

/** Metrics 0..3 are gauges (device counts); 4..6 are traffic counted per second. */
const GAUGES = 4;

/** Pending rows of one bucket of one tier, for the series listed (local indexes). */
interface Bucket {
  series: Int32Array;
  rows: Float64Array;
}

/**
 * How many late buckets per tier are kept in dense arrays (the rest in maps): enough for the
 * seconds, minutes, hours and days a few minutes of reports between two writes touch.
 */
const DENSE_LATE: Record<Tier, number> = { sec: 256, min: 16, hour: 8, day: 4 };

function emptyRows(count: number): Float64Array {
  const rows = new Float64Array(count * ROW_WIDTH);
  for (let k = 0; k < count; k++) {
    const o = k * ROW_WIDTH;
    rows.fill(Infinity, o + MIN, o + MIN + METRIC_COUNT);
    rows.fill(-Infinity, o + MAX, o + MAX + METRIC_COUNT);
  }
  return rows;
}

/**
 * Accumulates what the pipeline produces into per-tier buckets in memory and writes them to
 * the store in batches: one transaction per flush, merging into rows already there, so a
 * bucket that spans flushes (an hour, a day) is exact and nothing is lost when only part of
 * it was written before a restart.
 */
export class HistoryRecorder {
  private readonly pending: Record<Tier, Map<number, Bucket>> = {
    sec: new Map(),
    min: new Map(),
    hour: new Map(),
    day: new Map(),
  };
  /** Late traffic per tier and bucket, by position in the tier's series list. */
  private readonly late: Record<Tier, LateTier>;
  /** Per tier, each local series' position in the tier's series list, or -1 if not kept. */
  private readonly position: Record<Tier, Int32Array>;
  private readonly lateScratch = new Float64Array(3);
  /** Scratch for recordLate's single piece. */
  private readonly onePiece = lateSpan(1);
  private coverage: CoverageInterval[] = [];
  private readonly idCache = new WeakMap<Int32Array, Int32Array>();
  /** Seconds before this are already stored: the live path does not write them again. */
  private floorS: number;
  rowsWritten = 0;
  lastFlushMs = 0;
  skippedSeconds = 0;

  constructor(
    private readonly catalog: SeriesCatalog,
    private readonly store: HistoryStore,
    private readonly logger: Logger,
    floorMs = 0,
    /** Minute rows of sites older than this (epoch ms, by the clock) are not written at all. */
    private readonly siteMinutesFrom: () => number = () => 0,
  ) {
    this.floorS = Math.floor(floorMs / 1000);
    const positions = (tier: Tier) => {
      const p = new Int32Array(catalog.size).fill(-1);
      catalog.tierSeries[tier].forEach((i, k) => (p[i] = k));
      return p;
    };
    this.position = {
      sec: positions('sec'),
      min: positions('min'),
      hour: positions('hour'),
      day: positions('day'),
    };
    const lateTier = (tier: Tier) =>
      new LateTier(catalog.tierSeries[tier].length, TIER_SECONDS[tier], DENSE_LATE[tier]);
    this.late = {
      sec: lateTier('sec'),
      min: lateTier('min'),
      hour: lateTier('hour'),
      day: lateTier('day'),
    };
  }

  /** One second of every series (values from SeriesValues), live or replayed. */
  recordSecond(secondStartMs: number, values: Float64Array, live = true): void {
    const s = Math.floor(secondStartMs / 1000);
    if (live && s < this.floorS) {
      this.skippedSeconds++;
      return;
    }
    for (const tier of TIERS) this.merge(tier, s, values, 1, false);
    this.cover(s, s + 1);
  }

  /**
   * A block of seconds known only as a whole (back-fill from the simulator's aggregate
   * model): gauges as at its end, traffic as totals. Kept at minute resolution and above;
   * within the block min = max = mean.
   */
  recordBlock(startMs: number, seconds: number, values: Float64Array): void {
    const s = Math.floor(startMs / 1000);
    for (const tier of TIERS) if (tier !== 'sec') this.merge(tier, s, values, seconds, true);
    this.cover(s, s + seconds);
  }

  /**
   * Late traffic for some series at a past time: sums only (n = 0), every tier. Summed per
   * bucket and series in memory, so a device spreading a report over many seconds, or many
   * devices reporting late, cost one row per bucket and series at the next write.
   */
  recordLate(
    series: readonly number[],
    tsMs: number,
    msgs: number,
    bytesIn: number,
    bytesOut: number,
  ): void {
    this.recordLateSpan(series, onePiece(this.onePiece, tsMs, msgs, bytesIn, bytesOut));
  }

  /**
   * Late pieces for the same series (a report spread over closed seconds), as if each were
   * passed to recordLate in order. The pieces that fall in one bucket are found together, so a
   * span of ten seconds looks up its minute, hour and day buckets once, not ten times; each
   * piece is still added on its own, in order, so the sums are the same to the last bit.
   */
  recordLateSpan(series: readonly number[], span: LateSpan): void {
    const n = span.count;
    for (const tier of TIERS) {
      const position = this.position[tier];
      const buckets = this.late[tier];
      const sizeS = TIER_SECONDS[tier];
      const sizeMs = sizeS * 1000;
      let j = 0;
      while (j < n) {
        // floor(floor(ts / 1000) / size) as recordLate did, in one step
        const b = Math.floor(span.ts[j]! / sizeMs);
        let end = j + 1;
        while (end < n && Math.floor(span.ts[end]! / sizeMs) === b) end++;
        buckets.at(b * sizeS).add(series, position, span, j, end);
        j = end;
      }
    }
  }

  private merge(
    tier: Tier,
    s: number,
    values: Float64Array,
    seconds: number,
    block: boolean,
  ): void {
    const size = TIER_SECONDS[tier];
    const t = Math.floor(s / size) * size;
    let bucket = this.pending[tier].get(t);
    if (!bucket) {
      const old = tier === 'min' && t * 1000 < this.siteMinutesFrom();
      const series = old ? this.catalog.minAggregates : this.catalog.tierSeries[tier];
      bucket = { series, rows: emptyRows(series.length) };
      this.pending[tier].set(t, bucket);
    }
    const { series, rows } = bucket;
    for (let k = 0; k < series.length; k++) {
      const v = series[k]! * METRIC_COUNT;
      const o = k * ROW_WIDTH;
      rows[o + N]! += seconds;
      for (let m = 0; m < METRIC_COUNT; m++) {
        const x = values[v + m]!;
        const gauge = m < GAUGES;
        rows[o + SUM + m]! += block && gauge ? x * seconds : x;
        // Whole numbers keep rows small on disk (SQLite stores integers in 1–8 bytes).
        const perSecond = block && !gauge ? Math.round(x / seconds) : x;
        if (perSecond < rows[o + MIN + m]!) rows[o + MIN + m] = perSecond;
        if (perSecond > rows[o + MAX + m]!) rows[o + MAX + m] = perSecond;
      }
    }
  }

  private cover(from: number, to: number): void {
    const last = this.coverage.at(-1);
    if (last && last.to === from) last.to = to;
    else this.coverage.push({ from, to });
  }

  /**
   * Adds what is pending (not yet written) for `local` series of a tier to a store read of
   * [fromS, toS) in steps of stepS, so reads include the latest seconds without forcing a
   * write (late traffic included, as sums).
   */
  mergePending(
    tier: Tier,
    local: readonly number[],
    fromS: number,
    toS: number,
    stepS: number,
    r: ReadResult,
  ): void {
    const index = new Map(r.bucket.map((b, i) => [b, i]));
    for (const [t, { series, rows }] of this.pending[tier]) {
      if (t < fromS || t >= toS) continue;
      const b = Math.floor((t - fromS) / stepS);
      for (const want of local) {
        const k = positionOf(series, want);
        if (k < 0) continue;
        const o = k * ROW_WIDTH;
        if (rows[o + N] === 0 && rows[o + SUM] === 0) continue;
        let i = index.get(b);
        if (i === undefined) {
          i = r.bucket.length;
          index.set(b, i);
          r.bucket.push(b);
          r.n.push(0);
          for (let m = 0; m < METRIC_COUNT; m++) {
            r.sums[m]!.push(0);
            r.min[m]!.push(Number.NaN);
            r.max[m]!.push(Number.NaN);
          }
        }
        r.n[i]! += rows[o + N]!;
        for (let m = 0; m < METRIC_COUNT; m++) {
          r.sums[m]![i]! += rows[o + SUM + m]!;
          r.min[m]![i] = lower(r.min[m]![i]!, rows[o + MIN + m]!);
          r.max[m]![i] = higher(r.max[m]![i]!, rows[o + MAX + m]!);
        }
      }
    }
    // Late traffic not yet written: sums only, also in buckets nothing else covered.
    const position = this.position[tier];
    const acc = this.lateScratch;
    for (const [t, bucket] of this.late[tier].buckets) {
      if (t < fromS || t >= toS) continue;
      const b = Math.floor((t - fromS) / stepS);
      for (const want of local) {
        const p = position[want] ?? -1;
        if (p < 0 || !bucket.read(p, acc)) continue;
        let i = index.get(b);
        if (i === undefined) {
          i = r.bucket.length;
          index.set(b, i);
          r.bucket.push(b);
          r.n.push(0);
          for (let m = 0; m < METRIC_COUNT; m++) {
            r.sums[m]!.push(0);
            r.min[m]!.push(Number.NaN);
            r.max[m]!.push(Number.NaN);
          }
        }
        for (let k = 0; k < 3; k++) r.sums[GAUGES + k]![i]! += acc[k]!;
      }
    }
  }

  /** Database ids of a series list; the lists are the catalog's own, so computed once each. */
  private dbIdsOf(series: Int32Array): Int32Array {
    let ids = this.idCache.get(series);
    if (!ids) {
      ids = series.map((i) => this.catalog.dbIds[i]!);
      this.idCache.set(series, ids);
    }
    return ids;
  }

  get pendingBuckets(): number {
    return TIERS.reduce((n, tier) => n + this.pending[tier].size + this.late[tier].buckets.size, 0);
  }

  /** Writes everything pending in one transaction. */
  flush(): void {
    if (this.pendingBuckets === 0 && this.coverage.length === 0) return;
    const began = performance.now();
    const rollups: RollupBatch[] = [];
    let rowCount = 0;
    for (const tier of TIERS) {
      for (const [t, { series, rows }] of this.pending[tier]) {
        const ids = this.dbIdsOf(series);
        const batch = compact(tier, t, ids, rows, series, this.catalog.scopeCount);
        if (batch) {
          rollups.push(batch);
          rowCount += batch.series.length;
        }
      }
      this.pending[tier].clear();
    }
    for (const tier of TIERS) {
      const local = this.catalog.tierSeries[tier];
      for (const [t, bucket] of this.late[tier].buckets) {
        if (bucket.size === 0) continue; // only series this tier does not keep were given
        const rows = emptyRows(bucket.size);
        const series = new Int32Array(bucket.size);
        let k = 0;
        bucket.forEach((p, msgs, bytesIn, bytesOut) => {
          series[k] = this.catalog.dbIds[local[p]!]!;
          const o = k * ROW_WIDTH + SUM + GAUGES;
          rows[o] = msgs;
          rows[o + 1] = bytesIn;
          rows[o + 2] = bytesOut;
          k++;
        });
        rollups.push({ tier, t, series, rows });
        rowCount += bucket.size;
      }
      this.late[tier].clear();
    }
    const coverage = this.coverage;
    this.coverage = [];
    try {
      this.store.write({ rollups, coverage });
    } catch (err) {
      this.logger.error({ err, rows: rowCount }, 'history write failed; these rows are lost');
      throw err;
    }
    this.rowsWritten += rowCount;
    this.lastFlushMs = performance.now() - began;
  }
}

/** Where local series `want` sits in a bucket's series list (sorted ascending), or -1. */
function positionOf(series: Int32Array, want: number): number {
  let lo = 0;
  let hi = series.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = series[mid]!;
    if (v === want) return mid;
    if (v < want) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function lower(a: number, b: number): number {
  if (!Number.isFinite(b)) return a;
  return Number.isNaN(a) ? b : Math.min(a, b);
}

function higher(a: number, b: number): number {
  if (!Number.isFinite(b)) return a;
  return Number.isNaN(a) ? b : Math.max(a, b);
}

/**
 * Drops rows that say nothing: a filtered series with no device and no traffic in the bucket
 * (say satellites in Luxembourg). Reading such a bucket gives null ("no data"), not zero.
 */
function compact(
  tier: Tier,
  t: number,
  ids: Int32Array,
  rows: Float64Array,
  local: Int32Array,
  scopeCount: number,
): RollupBatch | null {
  const keep: number[] = [];
  for (let k = 0; k < ids.length; k++) {
    if (local[k]! < scopeCount) {
      keep.push(k); // unfiltered scopes always: zero devices is a fact worth keeping
      continue;
    }
    const o = k * ROW_WIDTH;
    let any = false;
    for (let m = 0; m < METRIC_COUNT && !any; m++) any = rows[o + SUM + m] !== 0;
    if (any) keep.push(k);
  }
  if (keep.length === ids.length) return { tier, t, series: ids, rows };
  if (keep.length === 0) return null;
  const out = new Float64Array(keep.length * ROW_WIDTH);
  keep.forEach((k, j) => out.set(rows.subarray(k * ROW_WIDTH, (k + 1) * ROW_WIDTH), j * ROW_WIDTH));
  return { tier, t, series: Int32Array.from(keep, (k) => ids[k]!), rows: out };
}
