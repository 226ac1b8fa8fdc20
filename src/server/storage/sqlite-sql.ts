// SQL text of the SQLite history store, built once per tier (and per series count for reads).
import { HI, LO, S, V, tableOf } from './sqlite-schema.ts';
import { METRIC_COUNT, ROW_WIDTH, type Tier } from './store.ts';

/** Beyond this many series a read passes its ids as one JSON array instead of `IN (?, …)`. */
export const MAX_LISTED_SERIES = 16;

const list = (cols: readonly string[], f: (c: string) => string): string => cols.map(f).join(', ');
const params = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

// Upserts merge into the stored row. better-sqlite3 binds every JS number as REAL; the INTEGER
// columns store whole values as compact integers again, and `+` turns REAL beyond int64.
export function upsertSql(tier: Tier): string {
  if (tier === 'sec') {
    return `INSERT INTO h_sec (series, t, n, ${V.join(', ')})
      VALUES (${params(3 + METRIC_COUNT)})
      ON CONFLICT (series, t) DO UPDATE SET n = n + excluded.n,
        ${list(V, (c) => `${c} = ${c} + excluded.${c}`)}`;
  }
  // lo/hi arrive as NULL for "no change"; the scalar min()/max() return NULL if either side is.
  return `INSERT INTO ${tableOf(tier)} (series, t, n, ${[...S, ...LO, ...HI].join(', ')})
    VALUES (${params(2 + ROW_WIDTH)})
    ON CONFLICT (series, t) DO UPDATE SET n = n + excluded.n,
      ${list(S, (c) => `${c} = ${c} + excluded.${c}`)},
      ${list(LO, (c) => `${c} = coalesce(min(${c}, excluded.${c}), ${c}, excluded.${c})`)},
      ${list(HI, (c) => `${c} = coalesce(max(${c}, excluded.${c}), ${c}, excluded.${c})`)}`;
}

/**
 * One statement per read. Parameters arrive as REAL, so `from` and `step` are cast for an
 * integer division. SUM() of integers throws on int64 overflow, so sums use TOTAL() and the
 * per-t sums of min/max (which must stay NULL when every series' is unknown) add REALs.
 *
 * Several series are first summed per bucket start t, then grouped by step: the min (max) of a
 * sum is bounded by the sum of the mins (maxes) at each t, which is exact for one series and
 * for the sec tier, where each row is one second. The minimum of the series' minima would put
 * a total's lower band at its smallest member's level.
 */
export function readSql(tier: Tier, seriesCount: number): string {
  const table = tableOf(tier);
  const bucket = '(t - CAST(@from AS INTEGER)) / CAST(@step AS INTEGER) AS b';
  const range = 't >= @from AND t < @to';
  // The sec tier keeps one value per second: min = max = value (the mean if a second was
  // written twice), unknown when the row holds late traffic only.
  const sums = tier === 'sec' ? V : S;
  const lo = tier === 'sec' ? V.map((c) => `CASE WHEN n > 0 THEN ${c} * 1.0 / n END`) : LO;
  const hi = tier === 'sec' ? lo : HI;
  const outer = (s: readonly string[], l: readonly string[], h: readonly string[]) =>
    `SUM(n), ${list(s, (c) => `TOTAL(${c})`)}, ${list(l, (c) => `MIN(${c})`)}, ${list(h, (c) => `MAX(${c})`)}`;
  if (seriesCount === 1) {
    return `SELECT ${bucket}, ${outer(sums, lo, hi)} FROM ${table}
      WHERE series = @s0 AND ${range} GROUP BY b ORDER BY b`;
  }
  const ids =
    seriesCount > MAX_LISTED_SERIES
      ? 'SELECT value FROM json_each(@ids)'
      : Array.from({ length: seriesCount }, (_, i) => `@s${i}`).join(', ');
  const alias = (prefix: string) => Array.from({ length: METRIC_COUNT }, (_, m) => `${prefix}${m}`);
  const [a, l, h] = [alias('a'), alias('l'), alias('h')];
  return `SELECT ${bucket}, ${outer(a, l, h)} FROM (
      SELECT t, SUM(n) AS n,
        ${sums.map((c, m) => `TOTAL(${c}) AS a${m}`).join(', ')},
        ${lo.map((c, m) => `SUM((${c}) * 1.0) AS l${m}`).join(', ')},
        ${hi.map((c, m) => `SUM((${c}) * 1.0) AS h${m}`).join(', ')}
      FROM ${table} WHERE series IN (${ids}) AND ${range} GROUP BY t
    ) GROUP BY b ORDER BY b`;
}

/** Sums per series over [@from, @to) for the JSON array @ids (see HistoryStore.readTotals). */
export function totalsSql(tier: Tier): string {
  const sums = tier === 'sec' ? V : S;
  return `SELECT series, SUM(n), ${list(sums, (c) => `TOTAL(${c})`)} FROM ${tableOf(tier)}
    WHERE series IN (SELECT value FROM json_each(@ids)) AND t >= @from AND t < @to
    GROUP BY series ORDER BY series`;
}

/**
 * Deletes at most @max rows older than @before, for every series or for the JSON array @ids.
 * The series are the outer loop (CROSS JOIN fixes the order), so each costs one seek into its
 * (series, t) range instead of a scan of the table; the IN list is built before deleting.
 */
export function pruneSql(tier: Tier, listed: boolean): string {
  const table = tableOf(tier);
  const series = listed
    ? 'SELECT DISTINCT value AS id FROM json_each(@ids)'
    : 'SELECT id FROM series';
  return `DELETE FROM ${table} WHERE (series, t) IN (
    SELECT s.id, h.t FROM (${series}) AS s CROSS JOIN ${table} AS h
    ON h.series = s.id AND h.t < @before LIMIT CAST(@max AS INTEGER))`;
}

/** Two subqueries, so that each is a single seek to one end of the series' range. */
export const extentSql = (tier: Tier): string =>
  `SELECT (SELECT t FROM ${tableOf(tier)} WHERE series = @s ORDER BY t LIMIT 1),
          (SELECT t FROM ${tableOf(tier)} WHERE series = @s ORDER BY t DESC LIMIT 1)`;
