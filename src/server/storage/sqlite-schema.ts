// Connection settings and schema migrations of the SQLite history store.
import type Database from 'better-sqlite3';
import { METRIC_COUNT, type Tier } from './store.ts';

type Db = Database.Database;

const columns = (prefix: string): string[] =>
  Array.from({ length: METRIC_COUNT }, (_, m) => `${prefix}${m}`);

/** Per-second values of the `sec` tier (n = 1 implied, so min = max = sum). */
export const V = columns('v');
/** Sums, minima and maxima of the rollup tiers. */
export const S = columns('s');
export const LO = columns('lo');
export const HI = columns('hi');

export const tableOf = (tier: Tier): string => `h_${tier}`;

/**
 * Uptime Kuma's settings (WAL, synchronous=NORMAL, busy_timeout) plus an in-memory temp store
 * for the GROUP BY sorters of reads and a 32 MiB page cache, enough for the hot minute pages.
 *
 * A write touches one leaf page per series (rows are clustered by series), so a transaction of
 * 2,700 rows appends ~2,700 pages (~11 MB) to the WAL. The default auto-checkpoint (1,000
 * pages) would then copy and fsync after every such commit; 10,000 pages lets a checkpoint
 * write a page once for several commits (measured: ~55 → ~35 ms per such transaction).
 */
export function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = OFF');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -8192'); // 8 MB: the OS page cache holds the rest; RSS stays in budget
  db.pragma('wal_autocheckpoint = 10000');
  // After a checkpoint the log file is reused; cap what it keeps on disk.
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
}

interface Migration {
  version: number;
  description: string;
  sql: string;
}

// Lo/hi columns are NULL where a bucket has no known minimum or maximum (only late traffic):
// a NULL costs no bytes and is skipped by MIN()/MAX(), an infinity would cost 8 and leak out.
const rollupTable = (tier: Tier): string => `
  CREATE TABLE ${tableOf(tier)} (
    series INTEGER NOT NULL,
    t INTEGER NOT NULL,
    n INTEGER NOT NULL,
    ${S.map((c) => `${c} INTEGER NOT NULL`).join(', ')},
    ${LO.map((c) => `${c} INTEGER`).join(', ')},
    ${HI.map((c) => `${c} INTEGER`).join(', ')},
    PRIMARY KEY (series, t)
  ) WITHOUT ROWID;`;

/** Append only: a released migration is never edited, a change is a new version. */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'series, one table per tier, coverage',
    sql: `
      CREATE TABLE series (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL);
      CREATE TABLE h_sec (
        series INTEGER NOT NULL,
        t INTEGER NOT NULL,
        n INTEGER NOT NULL,
        ${V.map((c) => `${c} INTEGER NOT NULL`).join(', ')},
        PRIMARY KEY (series, t)
      ) WITHOUT ROWID;
      ${rollupTable('min')}
      ${rollupTable('hour')}
      ${rollupTable('day')}
      CREATE TABLE coverage ("from" INTEGER PRIMARY KEY, "to" INTEGER NOT NULL);`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings the schema up to SCHEMA_VERSION; refuses a database written by a newer build. */
export function migrate(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = db.prepare('SELECT max(version) FROM schema_version').pluck();
  const record = db.prepare(
    'INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)',
  );
  // IMMEDIATE: two processes opening a fresh file at once must not both run version 1.
  db.transaction(() => {
    const version = (current.get() as number | null) ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `history database has schema version ${version}; this build knows up to ${SCHEMA_VERSION}`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= version) continue;
      db.exec(m.sql);
      record.run(m.version, m.description, Math.floor(Date.now() / 1000));
    }
  }).immediate();
}
