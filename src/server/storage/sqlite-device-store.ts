import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DeviceRecord, DeviceState, DeviceStore, StatusChange } from './device-store.ts';

const STATUS_CODES = ['absent', 'online', 'degraded', 'offline'] as const;
type StatusName = (typeof STATUS_CODES)[number];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS device (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  site TEXT,
  tech TEXT NOT NULL,
  class TEXT NOT NULL,
  source TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  status INTEGER,
  since INTEGER
);
CREATE INDEX IF NOT EXISTS device_site ON device (site);
CREATE TABLE IF NOT EXISTS transition (
  rid INTEGER NOT NULL,
  t INTEGER NOT NULL,
  status INTEGER NOT NULL,
  PRIMARY KEY (rid, t, status)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS transition_t ON transition (t);
`;

/**
 * Device registry and status-transition log in SQLite (WAL). Devices get a small integer key
 * so the log stays compact: a transition is three integers.
 */
export function openSqliteDeviceStore(path: string): DeviceStore & { close(): void } {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const insertDevice = db.prepare(
    `INSERT OR IGNORE INTO device (id, site, tech, class, source, first_seen)
     VALUES (@id, @site, @tech, @class, @source, @firstSeen)`,
  );
  const ridOf = db.prepare('SELECT rid FROM device WHERE id = ?').pluck();
  const insertTransition = db.prepare(
    'INSERT OR IGNORE INTO transition (rid, t, status) VALUES (?, ?, ?)',
  );
  const moveStatus = db.prepare(
    'UPDATE device SET status = @status, since = @t WHERE rid = @rid AND (since IS NULL OR since <= @t)',
  );
  const selectDevice = db.prepare('SELECT * FROM device WHERE id = ?');
  const selectTransitions = db.prepare(
    'SELECT t, status FROM transition WHERE rid = ? AND t >= ? AND t < ? ORDER BY t, status',
  );
  const countDevices = db.prepare('SELECT count(*) FROM device').pluck();
  const pruneStep = db.prepare(
    `DELETE FROM transition WHERE (rid, t, status) IN
       (SELECT rid, t, status FROM transition WHERE t < ? ORDER BY t LIMIT ?)`,
  );

  const register = db.transaction((devices: readonly DeviceRecord[]) => {
    for (const d of devices) insertDevice.run(d);
  });
  const record = db.transaction((changes: readonly StatusChange[]) => {
    for (const c of changes) {
      const rid = ridOf.get(c.device) as number | undefined;
      if (rid === undefined) throw new Error(`transition for unregistered device ${c.device}`);
      const code = STATUS_CODES.indexOf(c.status);
      insertTransition.run(rid, c.t, code);
      moveStatus.run({ status: code, t: c.t, rid });
    }
  });

  return {
    registerDevices(devices) {
      if (devices.length) register(devices);
    },
    recordTransitions(changes) {
      if (changes.length) record(changes);
    },
    device(id) {
      const row = selectDevice.get(id) as
        | {
            id: string;
            site: string | null;
            tech: string;
            class: string;
            source: string;
            first_seen: number;
            status: number | null;
            since: number | null;
          }
        | undefined;
      if (!row) return null;
      return {
        id: row.id,
        site: row.site,
        tech: row.tech,
        class: row.class,
        source: row.source,
        firstSeen: row.first_seen,
        status: row.status === null ? null : (STATUS_CODES[row.status] as StatusName),
        since: row.since,
      } as DeviceState;
    },
    transitions(id, from, to) {
      const rid = ridOf.get(id) as number | undefined;
      if (rid === undefined) return [];
      return (selectTransitions.all(rid, from, to) as { t: number; status: number }[]).map((r) => ({
        device: id,
        t: r.t,
        status: STATUS_CODES[r.status]!,
      }));
    },
    deviceCount() {
      return countDevices.get() as number;
    },
    pruneTransitions(before, maxRows) {
      return pruneStep.run(before, maxRows).changes;
    },
    close() {
      db.close();
    },
  };
}
