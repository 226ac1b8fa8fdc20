import { METRICS } from '../../protocol/metrics.ts';

/** Resolutions history is kept at, finest first. */
export const TIERS = ['sec', 'min', 'hour', 'day'] as const;
export type Tier = (typeof TIERS)[number];
export const TIER_SECONDS: Record<Tier, number> = { sec: 1, min: 60, hour: 3600, day: 86_400 };

export const METRIC_COUNT = METRICS.length;
/**
 * One bucket of one series as numbers, metrics in METRICS order:
 * [n, sum × 7, min × 7, max × 7]. `n` is how many seconds of the bucket are covered by data;
 * sums over those seconds make exact averages (sum / n) and completeness (n / bucket seconds).
 */
export const ROW_WIDTH = 1 + 3 * METRIC_COUNT;
export const N = 0;
export const SUM = 1;
export const MIN = 1 + METRIC_COUNT;
export const MAX = 1 + 2 * METRIC_COUNT;

/**
 * Buckets of one tier starting at `t` (epoch seconds, a multiple of the tier's length) for
 * several series. Writing merges into what is stored: n and sums add, min and max widen.
 * A row with n = 0 carries late traffic only (sums add; min/max entries of ±Infinity mean
 * "no change").
 */
export interface RollupBatch {
  tier: Tier;
  t: number;
  series: Int32Array;
  /** series.length × ROW_WIDTH numbers. */
  rows: Float64Array;
}

/** Epoch seconds [from, to) now covered by data, kept as merged intervals. */
export interface CoverageInterval {
  from: number;
  to: number;
}

export interface WriteBatch {
  rollups: RollupBatch[];
  coverage: CoverageInterval[];
}

/** Per bucket of a read, summed over the requested series. */
export interface ReadResult {
  /** Bucket index: floor((t - from) / step), ascending; only buckets holding rows appear. */
  bucket: number[];
  /** Seconds covered, summed over series (divide by the series count for one series' worth). */
  n: number[];
  /** sums[m][i], min[m][i], max[m][i] for metric m (METRICS order) in bucket i. */
  sums: number[][];
  min: number[][];
  max: number[][];
}

/** Per series over a whole range: seconds covered (n) and each metric's sum (METRICS order). */
export interface SeriesTotals {
  series: number[];
  n: number[];
  sums: number[][];
}

/**
 * Where history lives. One implementation per engine (SQLite now, PostgreSQL later); the
 * shared contract suite in tests/contract runs against each.
 */
export interface HistoryStore {
  /** Stable integer ids for series keys (e.g. "country:FR", "region:europe|tech:nb-iot"), created on first use. */
  seriesIds(keys: readonly string[]): number[];
  /** Applies a batch atomically (one transaction), coverage included. */
  write(batch: WriteBatch): void;
  /**
   * Buckets of `step` seconds over [from, to) (epoch seconds; from aligned by the caller) from
   * one tier, summed over `series`.
   */
  read(tier: Tier, series: readonly number[], from: number, to: number, step: number): ReadResult;
  /**
   * One tier's rows over [from, to) (epoch seconds) added up per series, one answer per series
   * that has rows there: a period's figures for many places in one query.
   */
  readTotals(tier: Tier, series: readonly number[], from: number, to: number): SeriesTotals;
  /** Covered intervals overlapping [from, to), merged, ascending. */
  coverage(from: number, to: number): CoverageInterval[];
  /**
   * Deletes at most `maxRows` rows of `tier` older than `before` (epoch seconds) for the
   * given series, or for all series when `series` is null. Returns how many it deleted, so a
   * caller can delete in small steps without long locks.
   */
  prune(tier: Tier, series: readonly number[] | null, before: number, maxRows: number): number;
  /** Drops coverage intervals that end before `before`. */
  pruneCoverage(before: number): void;
  /** Oldest and newest bucket start of a tier for a series, or null when it has none. */
  extent(tier: Tier, series: number): { first: number; last: number } | null;
  /** Bytes the store uses on disk (database and its write-ahead log). */
  sizeBytes(): number;
  /** Moves the write-ahead log into the database (SQLite) or no-op. */
  checkpoint(): void;
  close(): void;
}
