// HistoryStore on one SQLite file (better-sqlite3, synchronous). One table per tier keyed by
// (series, t) WITHOUT ROWID, so a series' range is one contiguous B-tree walk.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { HI, LO, S, V, applyPragmas, migrate, tableOf } from './sqlite-schema.ts';
import {
  METRIC_COUNT,
  N,
  ROW_WIDTH,
  SUM,
  TIERS,
  type CoverageInterval,
  type HistoryStore,
  type ReadResult,
  type RollupBatch,
  type Tier,
  type WriteBatch,
} from './store.ts';
import { assertTier, validateRead, validateWriteBatch } from './validate.ts';

type Statement = Database.Statement<unknown[], unknown>;
type Bind = number | null;

/** Beyond this many series a read passes its ids as one JSON array instead of `IN (?, …)`. */
const MAX_LISTED_SERIES = 16;

const list = (cols: readonly string[], f: (c: string) => string): string => cols.map(f).join(', ');
const params = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** Opens (creating it and its directory when missing) the history database at `path`. */
export function openSqliteStore(path: string): HistoryStore {
  const file = path === '' || path === ':memory:' ? null : path;
  if (file) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(path);
  try {
    applyPragmas(db);
    migrate(db);
    return new SqliteHistoryStore(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
}

// Upserts merge into the stored row. better-sqlite3 binds every JS number as REAL; the INTEGER
// columns store whole values as compact integers again, and `+` turns REAL beyond int64.
function upsertSql(tier: Tier): string {
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
 * integer division. TOTAL() rather than SUM(): SUM() throws on int64 overflow.
 *
 * Several series are first summed per bucket start t, then grouped by step: the min (max) of a
 * sum is bounded by the sum of the mins (maxes) at each t, which is exact for one series and
 * for the sec tier, where each row is one second. The minimum of the series' minima would put
 * a total's lower band at its smallest member's level.
 */
function readSql(tier: Tier, seriesCount: number): string {
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
        ${lo.map((c, m) => `SUM(${c}) AS l${m}`).join(', ')},
        ${hi.map((c, m) => `SUM(${c}) AS h${m}`).join(', ')}
      FROM ${table} WHERE series IN (${ids}) AND ${range} GROUP BY t
    ) GROUP BY b ORDER BY b`;
}

function prepareStatements(db: Database.Database) {
  return {
    insertSeries: db.prepare('INSERT INTO series (key) VALUES (?) ON CONFLICT (key) DO NOTHING'),
    seriesId: db.prepare('SELECT id FROM series WHERE key = ?').pluck(),
    allSeries: db.prepare('SELECT id FROM series ORDER BY id').pluck(),
    // Intervals that overlap or touch [from, to): merging with them keeps the set disjoint.
    touching: db
      .prepare('SELECT min("from"), max("to") FROM coverage WHERE "from" <= @to AND "to" >= @from')
      .raw(),
    deleteTouching: db.prepare('DELETE FROM coverage WHERE "from" <= @to AND "to" >= @from'),
    insertCoverage: db.prepare('INSERT INTO coverage ("from", "to") VALUES (?, ?)'),
    coverage: db
      .prepare(
        'SELECT "from", "to" FROM coverage WHERE "from" < @to AND "to" > @from ORDER BY "from"',
      )
      .raw(),
    pruneCoverage: db.prepare('DELETE FROM coverage WHERE "to" <= ?'),
    pageBytes: db
      .prepare('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()')
      .pluck(),
  };
}

class SqliteHistoryStore implements HistoryStore {
  private readonly ids = new Map<string, number>();
  private readonly upserts: Record<Tier, Statement>;
  private readonly reads = new Map<string, Statement>();
  private readonly prunes: Record<Tier, Statement>;
  private readonly extents: Record<Tier, Statement>;
  // Reused for every row bound: a write binds thousands of rows.
  private readonly secArgs: Bind[] = new Array<Bind>(3 + METRIC_COUNT).fill(0);
  private readonly rollupArgs: Bind[] = new Array<Bind>(2 + ROW_WIDTH).fill(0);
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly writeTx: (batch: WriteBatch) => void;
  private readonly pruneTx: (
    tier: Tier,
    ids: readonly number[],
    before: number,
    max: number,
  ) => number;
  private readonly seriesTx: (keys: readonly string[]) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string | null,
  ) {
    const each = (f: (tier: Tier) => Statement) =>
      Object.fromEntries(TIERS.map((tier) => [tier, f(tier)])) as Record<Tier, Statement>;
    this.upserts = each((tier) => db.prepare(upsertSql(tier)));
    // Bounded per series: the (series, t) key makes "oldest k rows of one series" a range.
    this.prunes = each((tier) =>
      db.prepare(`DELETE FROM ${tableOf(tier)} WHERE series = @s AND t IN (
        SELECT t FROM ${tableOf(tier)} WHERE series = @s AND t < @before
        ORDER BY t LIMIT CAST(@max AS INTEGER))`),
    );
    // Two subqueries, so that each is a single seek to one end of the series' range.
    this.extents = each((tier) =>
      db
        .prepare(
          `SELECT (SELECT t FROM ${tableOf(tier)} WHERE series = @s ORDER BY t LIMIT 1),
                  (SELECT t FROM ${tableOf(tier)} WHERE series = @s ORDER BY t DESC LIMIT 1)`,
        )
        .raw(),
    );
    this.sql = prepareStatements(db);

    this.seriesTx = db.transaction((keys: readonly string[]) => {
      for (const key of keys) {
        if (this.ids.has(key)) continue;
        this.sql.insertSeries.run(key);
        this.ids.set(key, this.sql.seriesId.get(key) as number);
      }
    });
    this.writeTx = db.transaction((batch: WriteBatch) => {
      for (const rollup of batch.rollups) this.writeRollup(rollup);
      for (const c of batch.coverage) if (c.from < c.to) this.addCoverage(c.from, c.to);
    });
    this.pruneTx = db.transaction(
      (tier: Tier, ids: readonly number[], before: number, max: number) => {
        let deleted = 0;
        for (const id of ids) {
          if (deleted >= max) break;
          deleted += this.prunes[tier].run({ s: id, before, max: max - deleted }).changes;
        }
        return deleted;
      },
    );
  }

  seriesIds(keys: readonly string[]): number[] {
    if (keys.some((key) => !this.ids.has(key))) this.seriesTx(keys);
    return keys.map((key) => this.ids.get(key)!);
  }

  write(batch: WriteBatch): void {
    validateWriteBatch(batch);
    this.writeTx(batch);
  }

  private writeRollup({ tier, t, series, rows }: RollupBatch): void {
    const stmt = this.upserts[tier];
    if (tier === 'sec') {
      const args = this.secArgs;
      args[1] = t;
      for (let i = 0; i < series.length; i++) {
        const at = i * ROW_WIDTH;
        args[0] = series[i]!;
        args[2] = rows[at + N]!;
        for (let m = 0; m < METRIC_COUNT; m++) args[3 + m] = rows[at + SUM + m]!;
        stmt.run(args);
      }
      return;
    }
    const args = this.rollupArgs;
    args[1] = t;
    for (let i = 0; i < series.length; i++) {
      const at = i * ROW_WIDTH;
      args[0] = series[i]!;
      for (let k = 0; k < ROW_WIDTH; k++) {
        const value = rows[at + k]!;
        // Validation let infinities through only as min/max, where they mean "no change".
        args[2 + k] = value === Infinity || value === -Infinity ? null : value;
      }
      stmt.run(args);
    }
  }

  /** Replaces the intervals that overlap or touch [from, to) with their union. */
  private addCoverage(from: number, to: number): void {
    const [first, last] = this.sql.touching.get({ from, to }) as [number | null, number | null];
    if (first !== null && last !== null) {
      this.sql.deleteTouching.run({ from, to });
      from = Math.min(from, first);
      to = Math.max(to, last);
    }
    this.sql.insertCoverage.run(from, to);
  }

  read(tier: Tier, series: readonly number[], from: number, to: number, step: number): ReadResult {
    assertTier(tier);
    validateRead(from, to, step);
    const ids = [...new Set(series)];
    const perMetric = () => Array.from({ length: METRIC_COUNT }, (): number[] => []);
    const result: ReadResult = {
      bucket: [],
      n: [],
      sums: perMetric(),
      min: perMetric(),
      max: perMetric(),
    };
    if (ids.length === 0 || from === to) return result;

    const listed = Math.min(ids.length, MAX_LISTED_SERIES + 1);
    const key = `${tier}:${listed}`;
    let stmt = this.reads.get(key);
    if (!stmt) {
      stmt = this.db.prepare(readSql(tier, listed)).raw();
      this.reads.set(key, stmt);
    }
    const bind: Record<string, number | string> = { from, to, step };
    if (ids.length > MAX_LISTED_SERIES) bind.ids = JSON.stringify(ids);
    else ids.forEach((id, i) => (bind[`s${i}`] = id));

    for (const row of stmt.all(bind) as Bind[][]) {
      result.bucket.push(row[0]!);
      result.n.push(row[1]!);
      for (let m = 0; m < METRIC_COUNT; m++) {
        result.sums[m]!.push(row[2 + m]!);
        result.min[m]!.push(row[2 + METRIC_COUNT + m] ?? Number.NaN);
        result.max[m]!.push(row[2 + 2 * METRIC_COUNT + m] ?? Number.NaN);
      }
    }
    return result;
  }

  coverage(from: number, to: number): CoverageInterval[] {
    return (this.sql.coverage.all({ from, to }) as [number, number][]).map(([f, t]) => ({
      from: f,
      to: t,
    }));
  }

  prune(tier: Tier, series: readonly number[] | null, before: number, maxRows: number): number {
    assertTier(tier);
    if (!Number.isSafeInteger(maxRows) || maxRows < 0) {
      throw new RangeError(`prune: maxRows ${maxRows} is not a count`);
    }
    if (maxRows === 0) return 0;
    const ids = series ?? (this.sql.allSeries.all() as number[]);
    return this.pruneTx(tier, ids, before, maxRows);
  }

  pruneCoverage(before: number): void {
    this.sql.pruneCoverage.run(before);
  }

  extent(tier: Tier, series: number): { first: number; last: number } | null {
    assertTier(tier);
    const [first, last] = this.extents[tier].get({ s: series }) as [number | null, number | null];
    return first === null || last === null ? null : { first, last };
  }

  sizeBytes(): number {
    if (!this.file) return this.sql.pageBytes.get() as number;
    const wal = `${this.file}-wal`;
    return statSync(this.file).size + (existsSync(wal) ? statSync(wal).size : 0);
  }

  checkpoint(): void {
    // TRUNCATE waits (busy_timeout) for readers and empties the log; if one still holds it,
    // copy what can be copied and leave the rest to the next checkpoint.
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result?.busy) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  close(): void {
    if (!this.db.open) return;
    this.checkpoint();
    this.db.close();
  }
}
