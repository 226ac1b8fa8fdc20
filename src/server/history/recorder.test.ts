import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Aggregator, type LateSpan } from '../aggregate/aggregator.ts';
import { loadSiteCatalog } from '../sites/catalog.ts';
import { ScopeIndex } from '../sites/scope-index.ts';
import {
  METRIC_COUNT,
  ROW_WIDTH,
  SUM,
  type HistoryStore,
  type ReadResult,
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
  return { recorder, series, written, writes, scopes, catalog };
}

/** Every row of the last write, as tier/bucket/series → its sums, for exact comparison. */
function rowsOf(writes: WriteBatch[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of writes.at(-1)?.rollups ?? []) {
    r.series.forEach((id, k) => {
      const o = k * ROW_WIDTH + SUM;
      out.set(`${r.tier}/${r.t}/${id}`, Array.from(r.rows.subarray(o, o + METRIC_COUNT)));
    });
  }
  return out;
}

function spanOf(pieces: [ts: number, m: number, bi: number, bo: number][]): LateSpan {
  return {
    count: pieces.length,
    ts: Float64Array.from(pieces, (p) => p[0]),
    msgs: Float64Array.from(pieces, (p) => p[1]),
    bytesIn: Float64Array.from(pieces, (p) => p[2]),
    bytesOut: Float64Array.from(pieces, (p) => p[3]),
  };
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

  it('adds a span as it would add its pieces one by one, bit for bit, across minute, hour and day', () => {
    const s0 = Math.floor(T0 / 1000);
    const hour = Math.floor(s0 / 3600) * 3600;
    const day = Math.floor(s0 / 86_400) * 86_400;
    // Pieces with shares of 1/7, 1/13 and 1/3600 (sums that depend on the order of addition),
    // crossing a minute, an hour, and a day boundary; some buckets already hold traffic.
    const spans: [ts: number, m: number, bi: number, bo: number][][] = [
      Array.from({ length: 7 }, (_, k) => [(hour - 3 + k) * 1000, 3 / 7, 1_000_003 / 7, 1 / 7]),
      Array.from({ length: 13 }, (_, k) => [(s0 + 55 + k) * 1000, 1 / 13, 987_654_321 / 13, 0]),
      Array.from({ length: 3600 }, (_, k) => [(day + 86_400 - 1800 + k) * 1000, 0.1, 7 / 36, 1e-3]),
      [[(hour - 2) * 1000, 1, 2, 3]],
    ];
    const bySpan = setup();
    const byPiece = setup();
    for (const pieces of spans) {
      bySpan.recorder.recordLateSpan(bySpan.series, spanOf(pieces));
      for (const [ts, m, bi, bo] of pieces)
        byPiece.recorder.recordLate(byPiece.series, ts, m, bi, bo);
    }
    bySpan.recorder.flush();
    byPiece.recorder.flush();
    const got = rowsOf(bySpan.writes);
    const want = rowsOf(byPiece.writes);
    expect(got.size).toBeGreaterThan(3600);
    expect(got).toEqual(want);
    // Both sides of each boundary got their share.
    expect(bySpan.written('hour').size).toBe(4);
    expect(bySpan.written('day').size).toBe(2);
    expect(bySpan.written('min').get(hour - 60)).toBeCloseTo(3 * (1_000_003 / 7) + 2, 6);
    // T0 is a whole hour: the second span's first five seconds share that minute.
    expect(bySpan.written('min').get(hour)).toBeCloseTo(
      4 * (1_000_003 / 7) + 5 * (987_654_321 / 13),
      6,
    );
  });

  it('takes from the aggregator what foldSpan hands over, the same as piece by piece', () => {
    // The aggregator's late span, straight into the recorder, against fold + recordLate.
    const minute = Math.floor(T0 / 60_000) * 60_000;
    const bySpan = setup();
    const byPiece = setup();
    const options = { cells: 4, tickMs: 1000, graceMs: 0, start: minute + 120_000 };
    const a = new Aggregator(options, {
      onLateSpan: (_cell, span) => bySpan.recorder.recordLateSpan(bySpan.series, span),
    });
    const b = new Aggregator(options, {
      onLate: (_cell, ts, m, bi, bo) => byPiece.recorder.recordLate(byPiece.series, ts, m, bi, bo),
    });
    const now = minute + 121_000;
    for (const agg of [a, b]) {
      agg.foldSpan(0, minute + 50_200, minute + 63_900, 11, 123_456_789, 1, now);
      agg.foldSpan(0, minute + 100_000, minute + 125_000, 29, 5, 77_777, now);
      agg.foldSpan(0, minute - 7_200_000, minute, 1_000_001, 3, 0, now); // 3600 runs of 2 s
    }
    bySpan.recorder.flush();
    byPiece.recorder.flush();
    expect(rowsOf(bySpan.writes)).toEqual(rowsOf(byPiece.writes));
    expect(bySpan.written('min').get(minute / 1000)).toBeCloseTo(123_456_789 * (9 / 13), 4);
  });

  it('reads late traffic before it is written, past the dense buckets too, and starts afresh', () => {
    const { recorder, series, written } = setup();
    const s0 = Math.floor(T0 / 1000);
    // 3,600 seconds: more second buckets than are kept dense (the rest go to maps).
    const span = (bytes: number) =>
      spanOf(Array.from({ length: 3600 }, (_, k) => [(s0 + k) * 1000, 1, bytes, 0]));
    const globalSeconds = (from: number, to: number) => {
      const r: ReadResult = { bucket: [], n: [], sums: [], min: [], max: [] };
      for (let m = 0; m < METRIC_COUNT; m++) {
        r.sums.push([]);
        r.min.push([]);
        r.max.push([]);
      }
      recorder.mergePending('sec', [series.at(-3)!], from, to, 1, r);
      return new Map(r.bucket.map((b, i) => [from + b, r.sums[BYTES_IN]![i]!]));
    };
    expect(series.at(-3)).toBe(0); // the global series, as seriesOfCell lists it

    recorder.recordLateSpan(series, span(5));
    recorder.recordLateSpan(series, span(2));
    const before = globalSeconds(s0, s0 + 3600);
    expect(before.size).toBe(3600);
    expect(before.get(s0)).toBe(7); // a dense bucket
    expect(before.get(s0 + 3599)).toBe(7); // a spilled one
    recorder.flush();
    expect(globalSeconds(s0, s0 + 3600).size).toBe(0);
    const first = written('sec');
    expect(first.size).toBe(3600);
    expect([...first.values()].every((v) => v === 7)).toBe(true);

    // The reused dense buckets and the new spilled ones hold this write's traffic only.
    recorder.recordLateSpan(series, span(3));
    recorder.flush();
    const second = written('sec');
    expect(second.size).toBe(3600);
    expect([...second.values()].every((v) => v === 3)).toBe(true);
  });

  it('keeps many series apart in a bucket past the dense ones', () => {
    const { recorder, written, writes, scopes, catalog } = setup();
    const s0 = Math.floor(T0 / 1000);
    // Fill the dense second buckets, so the last second of the hour is a spilled one.
    const global = [catalog.unfiltered('global')!];
    recorder.recordLateSpan(
      global,
      spanOf(Array.from({ length: 3600 }, (_, k) => [(s0 + k) * 1000, 0, 0, 0])),
    );
    // One site in each of 40 countries reports there: more series than the bucket starts with.
    const sites = new Map<string, number>();
    scopes.nodes.forEach((n) => {
      if (n.kind === 'site' && n.parent && !sites.has(n.parent) && sites.size < 40)
        sites.set(n.parent, n.siteStart);
    });
    const late = (s0 + 3599) * 1000;
    let k = 0;
    for (const site of sites.values()) {
      recorder.recordLateSpan(catalog.seriesOfCell(site, 0, 0), spanOf([[late, 1, ++k, 0]]));
    }
    recorder.flush();
    const byId = new Map<number, number>();
    for (const r of writes.at(-1)!.rollups) {
      if (r.tier !== 'sec' || r.t !== s0 + 3599) continue;
      r.series.forEach((id, i) => byId.set(id, r.rows[i * ROW_WIDTH + SUM + BYTES_IN]!));
    }
    k = 0;
    for (const country of sites.keys()) {
      expect(byId.get(catalog.dbIds[catalog.unfiltered(country)!]!), country).toBe(++k);
    }
    expect(written('sec').get(s0 + 3599)).toBe((40 * 41) / 2);
  });
});
