// Builders for HistoryStore rows and a readable view of read results, for the contract suite.
import {
  METRIC_COUNT,
  ROW_WIDTH,
  type ReadResult,
  type RollupBatch,
  type Tier,
} from '../../src/server/storage/store.ts';

/** 2026-01-01T00:00:00Z: a whole day, so every tier's buckets start on it. */
export const T0 = 1_767_225_600;

/** Seven per-metric values; scaling by the metric index catches metrics written out of order. */
export const seven = (f: (m: number) => number): number[] =>
  Array.from({ length: METRIC_COUNT }, (_, m) => f(m));
export const scaled = (x: number): number[] => seven((m) => x * (m + 1));

const NO_MIN = seven(() => Infinity);
const NO_MAX = seven(() => -Infinity);

export interface Row {
  n: number;
  sums: readonly number[];
  min?: readonly number[];
  max?: readonly number[];
}

/** A late-traffic row: sums only, n = 0, min/max "no change". */
export const late = (sums: readonly number[]): Row => ({ n: 0, sums });

export function rollup(tier: Tier, t: number, rows: readonly [number, Row][]): RollupBatch {
  const values = new Float64Array(rows.length * ROW_WIDTH);
  rows.forEach(([, r], i) => {
    values.set([r.n, ...r.sums, ...(r.min ?? NO_MIN), ...(r.max ?? NO_MAX)], i * ROW_WIDTH);
  });
  return { tier, t, series: Int32Array.from(rows.map(([id]) => id)), rows: values };
}

export interface Bucket {
  bucket: number;
  n: number;
  sums: number[];
  min: number[];
  max: number[];
}

/** A read result as one object per bucket, which makes failures readable. */
export function buckets(r: ReadResult): Bucket[] {
  return r.bucket.map((bucket, i) => ({
    bucket,
    n: r.n[i]!,
    sums: r.sums.map((s) => s[i]!),
    min: r.min.map((s) => s[i]!),
    max: r.max.map((s) => s[i]!),
  }));
}
