// HistoryStore on one SQLite file (better-sqlite3, synchronous). One table per tier keyed by
// (series, t) WITHOUT ROWID, so a series' range is one contiguous B-tree walk.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyPragmas, migrate } from './sqlite-schema.ts';
import {
  MAX_LISTED_SERIES,
  extentSql,
  pruneSql,
  readSql,
  totalsSql,
  upsertSql,
} from './sqlite-sql.ts';
import {
  METRIC_COUNT,
  N,
  ROW_WIDTH,
  SUM,
  TIERS,
  type CoverageInterval,
  type HistoryStore,
  type ReadResult,
  type SeriesTotals,
  type RollupBatch,
  type Tier,
  type WriteBatch,
} from './store.ts';
import { assertTier, validateRead, validateWriteBatch } from './validate.ts';

type Statement = Database.Statement<unknown[], unknown>;
type Bind = number | null;

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

function prepareStatements(db: Database.Database) {
  return {
    insertSeries: db.prepare('INSERT INTO series (key) VALUES (?) ON CONFLICT (key) DO NOTHING'),
    seriesId: db.prepare('SELECT id FROM series WHERE key = ?').pluck(),
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
  private readonly totals = new Map<Tier, Statement>();
  private readonly prunes: Record<Tier, { all: Statement; listed: Statement }>;
  private readonly extents: Record<Tier, Statement>;
  // Reused for every row bound: a write binds thousands of rows.
  private readonly secArgs: Bind[] = new Array<Bind>(3 + METRIC_COUNT).fill(0);
  private readonly rollupArgs: Bind[] = new Array<Bind>(2 + ROW_WIDTH).fill(0);
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly writeTx: (batch: WriteBatch) => void;
  private readonly seriesTx: (keys: readonly string[]) => [string, number][];

  constructor(
    private readonly db: Database.Database,
    private readonly file: string | null,
  ) {
    const each = <T>(f: (tier: Tier) => T) =>
      Object.fromEntries(TIERS.map((tier) => [tier, f(tier)])) as Record<Tier, T>;
    this.upserts = each((tier) => db.prepare(upsertSql(tier)));
    this.prunes = each((tier) => ({
      all: db.prepare(pruneSql(tier, false)),
      listed: db.prepare(pruneSql(tier, true)),
    }));
    this.extents = each((tier) => db.prepare(extentSql(tier)).raw());
    this.sql = prepareStatements(db);

    this.seriesTx = db.transaction((keys: readonly string[]) =>
      keys.map((key): [string, number] => {
        this.sql.insertSeries.run(key);
        return [key, this.sql.seriesId.get(key) as number];
      }),
    );
    this.writeTx = db.transaction((batch: WriteBatch) => {
      for (const rollup of batch.rollups) this.writeRollup(rollup);
      for (const c of batch.coverage) if (c.from < c.to) this.addCoverage(c.from, c.to);
    });
  }

  seriesIds(keys: readonly string[]): number[] {
    const missing = keys.filter((key) => !this.ids.has(key));
    // Cached only once committed: a rolled-back id could be handed out again.
    if (missing.length > 0) for (const [key, id] of this.seriesTx(missing)) this.ids.set(key, id);
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

  readTotals(tier: Tier, series: readonly number[], from: number, to: number): SeriesTotals {
    assertTier(tier);
    validateRead(from, to, 1);
    const out: SeriesTotals = {
      series: [],
      n: [],
      sums: Array.from({ length: METRIC_COUNT }, (): number[] => []),
    };
    const ids = [...new Set(series)];
    if (ids.length === 0 || from === to) return out;
    let stmt = this.totals.get(tier);
    if (!stmt) {
      stmt = this.db.prepare(totalsSql(tier)).raw();
      this.totals.set(tier, stmt);
    }
    for (const row of stmt.all({ ids: JSON.stringify(ids), from, to }) as number[][]) {
      out.series.push(row[0]!);
      out.n.push(row[1]!);
      for (let m = 0; m < METRIC_COUNT; m++) out.sums[m]!.push(row[2 + m]!);
    }
    return out;
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
    if (!Number.isFinite(before)) throw new RangeError(`prune: before ${before} is not a time`);
    if (maxRows === 0 || series?.length === 0) return 0;
    const bind = { before, max: maxRows };
    const { all, listed } = this.prunes[tier];
    return series
      ? listed.run({ ...bind, ids: JSON.stringify(series) }).changes
      : all.run(bind).changes;
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
