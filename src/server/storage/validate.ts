// Checks every engine runs before it touches its database, so that a bad batch changes nothing
// and fails with a message naming what is wrong. Shared by the SQLite and future engines.
import {
  MAX,
  METRIC_COUNT,
  MIN,
  N,
  ROW_WIDTH,
  SUM,
  TIER_SECONDS,
  TIERS,
  type Tier,
  type WriteBatch,
} from './store.ts';

export function assertTier(tier: string): asserts tier is Tier {
  if (!(TIERS as readonly string[]).includes(tier)) {
    throw new RangeError(`unknown tier "${tier}"; expected one of ${TIERS.join(', ')}`);
  }
}

/** Throws a RangeError on the first problem found; returns normally when all is well. */
export function validateWriteBatch(batch: WriteBatch): void {
  batch.rollups.forEach((r, i) => {
    const where = `rollups[${i}]`;
    assertTier(r.tier);
    if (!Number.isSafeInteger(r.t) || r.t % TIER_SECONDS[r.tier] !== 0) {
      throw new RangeError(
        `${where}: t = ${r.t} is not a multiple of the ${r.tier} tier's ${TIER_SECONDS[r.tier]} s`,
      );
    }
    if (r.rows.length !== r.series.length * ROW_WIDTH) {
      throw new RangeError(
        `${where} (${r.tier} @ ${r.t}): rows holds ${r.rows.length} numbers; ` +
          `${r.series.length} series × ${ROW_WIDTH} = ${r.series.length * ROW_WIDTH} expected`,
      );
    }
    for (let j = 0; j < r.series.length; j++) {
      const problem = rowProblem(r.series[j]!, r.rows, j * ROW_WIDTH);
      if (problem) throw new RangeError(`${where} (${r.tier} @ ${r.t}), row ${j}: ${problem}`);
    }
  });
  batch.coverage.forEach((c, i) => {
    if (!Number.isSafeInteger(c.from) || !Number.isSafeInteger(c.to) || c.from > c.to) {
      throw new RangeError(`coverage[${i}]: [${c.from}, ${c.to}) is not an interval of seconds`);
    }
  });
}

function rowProblem(series: number, rows: Float64Array, at: number): string | null {
  if (series <= 0) return `series id ${series} is not a positive id`;
  const n = rows[at + N]!;
  if (!Number.isInteger(n) || n < 0) return `n = ${n} is not a count`;
  for (let m = 0; m < METRIC_COUNT; m++) {
    const sum = rows[at + SUM + m]!;
    if (!Number.isFinite(sum)) return `sum of metric ${m} is ${sum}`;
    // ±Infinity is allowed here: it means "no minimum / maximum known" (late traffic).
    if (Number.isNaN(rows[at + MIN + m]!)) return `min of metric ${m} is NaN`;
    if (Number.isNaN(rows[at + MAX + m]!)) return `max of metric ${m} is NaN`;
  }
  return null;
}

export function validateRead(from: number, to: number, step: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) {
    throw new RangeError(`read: [${from}, ${to}) is not an interval of seconds`);
  }
  if (!Number.isSafeInteger(step) || step <= 0) {
    throw new RangeError(`read: step ${step} is not a positive whole number of seconds`);
  }
}
