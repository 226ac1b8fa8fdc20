import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Aggregator } from '../aggregate/aggregator.ts';
import { CELLS_PER_SITE } from '../aggregate/cells.ts';
import { ManualClock } from '../core/clock.ts';
import { loadSiteCatalog } from '../sites/catalog.ts';
import { ScopeIndex } from '../sites/scope-index.ts';
import { openSqliteDeviceStore } from '../storage/sqlite-device-store.ts';
import { IngestService, SAVE_CHUNK_ROWS } from './ingest-service.ts';

const T0 = 1_800_000_000_000;
const DEVICES = 10_000;
const scopes = new ScopeIndex(loadSiteCatalog(), { unassigned: true });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meridian-ingest-service-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  const clock = new ManualClock(T0);
  const store = openSqliteDeviceStore(join(dir, 'devices.db'));
  // Rows per store call (one transaction each), of every kind a save writes.
  const writes: { kind: string; rows: number }[] = [];
  const upsert = store.upsertDevices.bind(store);
  store.upsertDevices = (rows) => (
    writes.push({ kind: 'devices', rows: rows.length }),
    upsert(rows)
  );
  const record = store.recordTransitions.bind(store);
  store.recordTransitions = (rows) => (
    writes.push({ kind: 'transitions', rows: rows.length }),
    record(rows)
  );
  const save = store.saveIngestState.bind(store);
  store.saveIngestState = (rows) => (
    writes.push({ kind: 'counters', rows: rows.length }),
    save(rows)
  );
  const ingest = new IngestService({
    sink: new Aggregator({
      cells: scopes.siteCount * CELLS_PER_SITE,
      tickMs: 1000,
      graceMs: 0,
      start: T0,
    }),
    scopes,
    clock,
    logger: pino({ level: 'silent' }),
    store,
    heartbeatMs: 600_000,
    latenessMs: 3_600_000,
  });
  const ids = Array.from({ length: DEVICES }, (_, i) => `dev-${i}`);
  for (const id of ids) ingest.engine.meta(id, { tech: 'nb-iot', class: 'smart-meter' }, 'mqtt');
  const report = (bytesIn: number) => {
    for (const id of ids) {
      const body = { boot: 'b1', ts: clock.now() - 500, msgs: 1, bytesIn, bytesOut: 0 };
      ingest.engine.telemetry(id, body, 'mqtt', 'test');
    }
  };
  const rowsOf = (kind: string) =>
    writes.filter((w) => w.kind === kind).reduce((sum, w) => sum + w.rows, 0);
  const savedBytesIn = () =>
    store
      .ingestedDevices()
      .filter((d) => d.counters !== null)
      .map((d) => d.counters!.bytesIn);
  return { clock, store, ingest, writes, rowsOf, report, savedBytesIn };
}

describe('IngestService saves', () => {
  it('writes a large fleet’s registrations, transitions and counters a chunk per event-loop turn', async () => {
    const s = setup();
    s.report(100); // every device's first report: a transition to online each
    s.ingest.start();
    s.clock.advance(5000);
    // The save began with one chunk of registrations; the rest waits for the loop to turn.
    expect(s.writes).toEqual([{ kind: 'devices', rows: SAVE_CHUNK_ROWS }]);
    for (let i = 0; i < 100 && s.rowsOf('counters') < DEVICES; i++) await turn();
    expect([s.rowsOf('devices'), s.rowsOf('transitions'), s.rowsOf('counters')]).toEqual([
      DEVICES,
      DEVICES,
      DEVICES,
    ]);
    expect(Math.max(...s.writes.map((w) => w.rows))).toBe(SAVE_CHUNK_ROWS);
    // Registrations before transitions before counters, each kind whole before the next.
    const order = s.writes.map((w) => w.kind).filter((k, i, all) => k !== all[i - 1]);
    expect(order).toEqual(['devices', 'transitions', 'counters']);
    expect(s.savedBytesIn()).toEqual(Array(DEVICES).fill(100));
    expect(s.store.statusesOf('mqtt').filter((d) => d.status === 'online')).toHaveLength(DEVICES);
    s.ingest.stop();
    s.store.close();
  });

  it('keeps what a failed chunk did not write and writes it with the next save', async () => {
    const s = setup();
    s.report(100);
    s.ingest.start();
    const record = s.store.recordTransitions;
    let failures = 1;
    s.store.recordTransitions = (rows) => {
      if (failures-- > 0) throw new Error('disk full');
      record(rows);
    };
    s.clock.advance(5000);
    for (let i = 0; i < 100 && s.writes.at(-1)?.kind !== 'transitions'; i++) await turn();
    for (let i = 0; i < 10; i++) await turn();
    expect(s.rowsOf('counters')).toBe(0); // the failed save stopped before its counters
    s.clock.advance(5000); // the next save
    for (let i = 0; i < 100 && s.rowsOf('counters') < DEVICES; i++) await turn();
    expect(s.savedBytesIn()).toEqual(Array(DEVICES).fill(100));
    expect(s.store.statusesOf('mqtt').filter((d) => d.status === 'online')).toHaveLength(DEVICES);
    s.ingest.stop();
    s.store.close();
  });

  it('writes everything on stop, a save still in progress included', () => {
    const s = setup();
    s.report(100);
    s.ingest.start();
    s.clock.advance(5000); // a save begins: one chunk written, the rest pending
    expect(s.savedBytesIn().length).toBeLessThan(DEVICES);
    s.ingest.stop();
    expect(s.savedBytesIn()).toEqual(Array(DEVICES).fill(100));
    s.store.close();
  });

  it('saves the newest counters of a device reported again while its save was pending', () => {
    const s = setup();
    s.report(100);
    s.ingest.start();
    s.clock.advance(5000);
    s.report(250); // every device again, before the save's remaining chunks ran
    s.ingest.stop();
    expect(s.savedBytesIn()).toEqual(Array(DEVICES).fill(250));
    s.store.close();
  });
});
