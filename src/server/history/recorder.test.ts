import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadSiteCatalog } from '../sites/catalog.ts';
import { ScopeIndex } from '../sites/scope-index.ts';
import {
  METRIC_COUNT,
  ROW_WIDTH,
  SUM,
  type HistoryStore,
  type Tier,
  type WriteBatch,
} from '../storage/store.ts';
import { HistoryRecorder } from './recorder.ts';
import { SeriesCatalog } from './series-catalog.ts';

const BYTES_IN = 5; // metric index: 4 gauges, then msgs, bytes in, bytes out
const T0 = 1_800_000_000_000;

function setup() {
  const scopes = new ScopeIndex(loadSiteCatalog(), { unassigned: true });
  const writes: WriteBatch[] = [];
  // Only what the catalog and the recorder call.
  const store = {
    seriesIds: (keys: readonly string[]) => keys.map((_, i) => i + 1),
    write: (batch: WriteBatch) => writes.push(batch),
  } as unknown as HistoryStore;
  const catalog = new SeriesCatalog(scopes, store);
  const recorder = new HistoryRecorder(catalog, store, pino({ level: 'silent' }));
  const series = catalog.seriesOfCell(scopes.siteIndex('fr-paris')!, 2, 0);
  const global = catalog.unfiltered(scopes.nodes[0]!.id)!;
  /** Bytes in written for the global series at a tier, bucket by bucket, in the last write. */
  const written = (tier: Tier) => {
    const out = new Map<number, number>();
    for (const r of writes.at(-1)?.rollups ?? []) {
      if (r.tier !== tier) continue;
      const k = Array.from(r.series).indexOf(catalog.dbIds[global]!);
      if (k >= 0) out.set(r.t, r.rows[k * ROW_WIDTH + SUM + BYTES_IN]!);
    }
    return out;
  };
  return { recorder, series, written };
}

describe('HistoryRecorder, late traffic', () => {
  it('sums a burst of late pieces per bucket, and starts afresh after each write', () => {
    expect(METRIC_COUNT).toBeGreaterThan(BYTES_IN);
    const { recorder, series, written } = setup();
    const s = Math.floor(T0 / 1000);
    const minute = Math.floor(s / 60) * 60;
    // Ten pieces over ten seconds of one minute (mostly the same buckets), then one in the next.
    for (let i = 0; i < 10; i++) recorder.recordLate(series, (minute + i) * 1000, 1, 100, 0);
    recorder.recordLate(series, (minute + 60) * 1000, 1, 7, 0);
    recorder.flush();
    expect(written('min')).toEqual(
      new Map([
        [minute, 1000],
        [minute + 60, 7],
      ]),
    );
    expect(written('sec').get(minute + 3)).toBe(100);
    expect([...written('day').values()].reduce((a, b) => a + b, 0)).toBe(1007);

    // The same buckets again after the write: counted once, not lost in a bucket already written.
    recorder.recordLate(series, minute * 1000, 1, 40, 0);
    recorder.recordLate(series, (minute + 1) * 1000, 1, 2, 0);
    recorder.flush();
    expect(written('min')).toEqual(new Map([[minute, 42]]));
    expect([...written('day').values()].reduce((a, b) => a + b, 0)).toBe(42);
  });
});
