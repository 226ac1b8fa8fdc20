import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  DeviceRecord,
  DeviceState,
  DeviceStore,
  IngestedDevice,
  IngestState,
  StatusChange,
} from './device-store.ts';

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
CREATE TABLE IF NOT EXISTS ingest_state (
  rid INTEGER PRIMARY KEY,
  last_heard INTEGER,
  boot TEXT,
  ts INTEGER,
  msgs REAL,
  bytes_in REAL,
  bytes_out REAL,
  prev_boot TEXT
);
`;

interface DeviceRow {
  id: string;
  site: string | null;
  tech: string;
  class: string;
  source: string;
  first_seen: number;
  status: number | null;
  since: number | null;
}

interface StateRow {
  last_heard: number | null;
  boot: string | null;
  ts: number | null;
  msgs: number | null;
  bytes_in: number | null;
  bytes_out: number | null;
  prev_boot: string | null;
}

function deviceOf(row: DeviceRow): DeviceState {
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
}

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
  const upsertDevice = db.prepare(
    `INSERT INTO device (id, site, tech, class, source, first_seen)
     VALUES (@id, @site, @tech, @class, @source, @firstSeen)
     ON CONFLICT (id) DO UPDATE SET site = excluded.site, tech = excluded.tech,
       class = excluded.class`,
  );
  const ridOf = db.prepare('SELECT rid FROM device WHERE id = ?').pluck();
  const putState = db.prepare(
    `INSERT OR REPLACE INTO ingest_state
       (rid, last_heard, boot, ts, msgs, bytes_in, bytes_out, prev_boot)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectIngested = db.prepare(
    `SELECT d.*, s.last_heard, s.boot, s.ts, s.msgs, s.bytes_in, s.bytes_out, s.prev_boot
     FROM device d LEFT JOIN ingest_state s ON s.rid = d.rid
     WHERE d.source <> 'simulator' ORDER BY d.rid`,
  );
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
  const selectStatuses = db.prepare(
    'SELECT id, status, since FROM device WHERE source = ? AND status IS NOT NULL AND since IS NOT NULL',
  );
  const pruneStep = db.prepare(
    `DELETE FROM transition WHERE (rid, t, status) IN
       (SELECT rid, t, status FROM transition WHERE t < ? ORDER BY t LIMIT ?)`,
  );

  const register = db.transaction((devices: readonly DeviceRecord[]) => {
    for (const d of devices) insertDevice.run(d);
  });
  const upsert = db.transaction((devices: readonly DeviceRecord[]) => {
    for (const d of devices) upsertDevice.run(d);
  });
  const saveState = db.transaction((rows: readonly IngestState[]) => {
    for (const r of rows) {
      const rid = ridOf.get(r.device) as number | undefined;
      if (rid === undefined) throw new Error(`ingest state of unregistered device ${r.device}`);
      const c = r.counters;
      putState.run(
        rid,
        r.lastHeard,
        c?.boot ?? null,
        c?.ts ?? null,
        c?.msgs ?? null,
        c?.bytesIn ?? null,
        c?.bytesOut ?? null,
        c?.prevBoot ?? null,
      );
    }
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
    upsertDevices(devices) {
      if (devices.length) upsert(devices);
    },
    saveIngestState(rows) {
      if (rows.length) saveState(rows);
    },
    ingestedDevices() {
      return (selectIngested.all() as (DeviceRow & StateRow)[]).map((row): IngestedDevice => ({
        ...deviceOf(row),
        lastHeard: row.last_heard,
        counters:
          row.boot === null
            ? null
            : {
                boot: row.boot,
                ts: row.ts!,
                msgs: row.msgs!,
                bytesIn: row.bytes_in!,
                bytesOut: row.bytes_out!,
                prevBoot: row.prev_boot,
              },
      }));
    },
    recordTransitions(changes) {
      if (changes.length) record(changes);
    },
    device(id) {
      const row = selectDevice.get(id) as DeviceRow | undefined;
      return row ? deviceOf(row) : null;
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
    statusesOf(source) {
      return (selectStatuses.all(source) as { id: string; status: number; since: number }[]).map(
        (r) => ({ id: r.id, status: STATUS_CODES[r.status]!, since: r.since }),
      );
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
