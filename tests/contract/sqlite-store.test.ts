import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/server/storage/sqlite-schema.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite-store.ts';
import { describeHistoryStoreContract } from './history-store-contract.ts';
import { T0, buckets, rollup, scaled } from './rows.ts';

// A missing parent directory is part of every open: the store must create it.
const freshFile = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-history-'));
  return { dir, file: join(dir, 'nested', 'history.db') };
};

describeHistoryStoreContract('SQLite', async () => {
  const { dir, file } = await freshFile();
  const store = openSqliteStore(file);
  return {
    store,
    cleanup: async () => {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite history file', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => ({ dir, file } = await freshFile()));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps series ids, rows and coverage when closed and opened again', () => {
    const first = openSqliteStore(file);
    const ids = first.seriesIds(['global', 'country:FR']);
    const row = { n: 60, sums: scaled(600), min: scaled(9), max: scaled(11) };
    first.write({
      rollups: [rollup('min', T0, [[ids[1]!, row]])],
      coverage: [{ from: T0, to: T0 + 60 }],
    });
    first.close();
    first.close(); // a second close is harmless

    const again = openSqliteStore(file);
    try {
      expect(again.seriesIds(['country:FR', 'global'])).toEqual([ids[1], ids[0]]);
      const [added] = again.seriesIds(['country:DE']);
      expect(ids).not.toContain(added);
      expect(buckets(again.read('min', [ids[1]!], T0, T0 + 60, 60))).toEqual([
        { bucket: 0, ...row },
      ]);
      expect(again.coverage(T0, T0 + 60)).toEqual([{ from: T0, to: T0 + 60 }]);
    } finally {
      again.close();
    }
  });

  it('runs in WAL mode and records its schema version', () => {
    openSqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(
        SCHEMA_VERSION,
      );
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer schema', () => {
    openSqliteStore(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'future', 0);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/schema version/);
  });
});
