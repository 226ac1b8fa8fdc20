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
import { IngestService } from './ingest-service.ts';

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
  // Rows per saveIngestState call (one transaction each).
  const writes: number[] = [];
  const save = store.saveIngestState.bind(store);
  store.saveIngestState = (rows) => {
    writes.push(rows.length);
    save(rows);
  };
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
  const savedBytesIn = () =>
    store
      .ingestedDevices()
      .filter((d) => d.counters !== null)
      .map((d) => d.counters!.bytesIn);
  return { clock, store, ingest, writes, report, savedBytesIn };
}

describe('IngestService saves', () => {
  it('writes a large fleet’s counters a few thousand rows per event-loop turn', async () => {
    const s = setup();
    s.report(100);
    s.ingest.start();
    s.clock.advance(5000);
    // The save began with one chunk; the rest waits for the loop to turn.
    expect(s.writes).toHaveLength(1);
    expect(s.writes[0]).toBeLessThan(DEVICES);
    for (let i = 0; i < 10 && s.writes.reduce((a, b) => a + b, 0) < DEVICES; i++) await turn();
    expect(s.writes.reduce((a, b) => a + b, 0)).toBe(DEVICES);
    expect(s.writes.length).toBeGreaterThan(1);
    expect(s.savedBytesIn()).toEqual(Array(DEVICES).fill(100));
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
