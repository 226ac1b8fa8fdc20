import { describe, expect, it } from 'vitest';
import { spreadOver } from '../ingest/spread.ts';
import { Aggregator, type AggregatorListener } from './aggregator.ts';
import { TRAFFIC_FIELDS } from './cells.ts';
import { MAX_PIECES, splitSpan } from './span.ts';

const T0 = 1_800_000_000_000; // a whole second (and a whole minute)
const HOUR = 3_600_000;

type Piece = [cell: number, ts: number, msgs: number, bytesIn: number, bytesOut: number];

/** An aggregator that records closed seconds and late pieces, by span or piece by piece. */
function setup(bySpan: boolean, latenessMs = 24 * HOUR) {
  const seconds: [number, number[]][] = [];
  const late: Piece[] = [];
  const spans: number[] = [];
  const listener: AggregatorListener = {
    onSecond: (s, traffic) => seconds.push([s, Array.from(traffic)]),
  };
  if (bySpan) {
    listener.onLateSpan = (cell, span) => {
      spans.push(span.count);
      for (let k = 0; k < span.count; k++) {
        late.push([cell, span.ts[k]!, span.msgs[k]!, span.bytesIn[k]!, span.bytesOut[k]!]);
      }
    };
  } else {
    listener.onLate = (cell, ts, m, bi, bo) => late.push([cell, ts, m, bi, bo]);
  }
  const agg = new Aggregator(
    { cells: 3, tickMs: 1000, graceMs: 2000, start: T0, latenessMs },
    listener,
  );
  return { agg, seconds, late, spans };
}

/** Reports with awkward shares (1/7, 1/13 …) and odd totals, so any change of order shows. */
const REPORTS: [cell: number, from: number, to: number, m: number, bi: number, bo: number][] = [
  [0, T0 + 1_234, T0 + 8_400, 7, 1_000_003, 333],
  [1, T0 + 2_000, T0 + 15_999, 13, 987_654_321, 1],
  [2, T0 + 14_100, T0 + 14_900, 1, 17, 0], // within one second: one piece at `to`
  [0, T0 + 10_500, T0 + 19_500, 9, 123_457, 99_999],
  [1, T0 - 3 * HOUR, T0 + 17_000, 101, 7_777_777, 31], // over an hour: MAX_PIECES runs
];
const NOW = T0 + 17_200; // slots before T0 + 16 s are closed (2 s grace)

function run(bySpan: boolean, span: boolean, latenessMs?: number) {
  const s = setup(bySpan, latenessMs);
  s.agg.closeThrough(T0 + 16_000);
  for (const [cell, from, to, m, bi, bo] of REPORTS) {
    if (span) s.agg.foldSpan(cell, from, to, m, bi, bo, NOW);
    else
      spreadOver(from, to, (ts, share) =>
        s.agg.fold(cell, ts, m * share, bi * share, bo * share, NOW),
      );
  }
  s.agg.closeThrough(T0 + 30_000);
  return s;
}

describe('splitSpan', () => {
  it('cuts (from, to] into whole seconds, one piece within a second, MAX_PIECES runs past an hour', () => {
    const ts = new Float64Array(MAX_PIECES);
    const share = new Float64Array(MAX_PIECES);
    expect(splitSpan(T0 + 500, T0 + 3_200, ts, share)).toBe(3);
    expect(Array.from(ts.subarray(0, 3), (t) => t - T0)).toEqual([1000, 2000, 3000]);
    expect(splitSpan(T0 + 100, T0 + 900, ts, share)).toBe(1);
    expect([ts[0]! - T0, share[0]]).toEqual([900, 1]);
    const n = splitSpan(T0, T0 + 2 * HOUR, ts, share);
    expect(n).toBe(MAX_PIECES);
    expect(ts[1]! - ts[0]!).toBe(2000);
    expect(share.subarray(0, n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('Aggregator.foldSpan', () => {
  it('gives the same seconds and late pieces, bit for bit, as folding each piece', () => {
    const ref = run(false, false);
    const byPiece = run(false, true); // foldSpan with a per-piece listener
    const bySpan = run(true, true);
    expect(ref.late.length).toBeGreaterThan(MAX_PIECES);
    expect(ref.seconds.some(([, t]) => t.some((x) => x !== 0))).toBe(true);
    for (const other of [byPiece, bySpan]) {
      expect(other.seconds).toEqual(ref.seconds);
      expect(other.late).toEqual(ref.late);
      expect(other.agg.lateCount).toBe(ref.agg.lateCount);
      expect(other.agg.tooLateCount).toBe(ref.agg.tooLateCount);
    }
    // One call per report (each has closed seconds here), not one per piece.
    expect(bySpan.spans).toHaveLength(REPORTS.length);
    expect(bySpan.spans.reduce((a, b) => a + b, 0)).toBe(ref.late.length);
  });

  it('splits a span at the oldest open slot: the closed part late, the rest into open slots', () => {
    const s = setup(true);
    s.agg.closeThrough(T0 + 5_000);
    s.seconds.length = 0;
    // Seconds 1..8 of (T0, T0 + 8.5 s]: 1..4 are closed, 5..8 open (the ring's four slots).
    s.agg.foldSpan(2, T0, T0 + 8_500, 8, 800, 80, T0 + 8_600);
    expect(s.spans).toEqual([4]);
    expect(s.late.map(([cell, ts, m, bi]) => [cell, (ts - T0) / 1000, m, bi])).toEqual([
      [2, 1, 1, 100],
      [2, 2, 1, 100],
      [2, 3, 1, 100],
      [2, 4, 1, 100],
    ]);
    s.agg.closeThrough(T0 + 9_000);
    const bytes = s.seconds.map(([t, traffic]) => [
      (t - T0) / 1000,
      traffic[2 * TRAFFIC_FIELDS + 1],
    ]);
    expect(bytes).toEqual([5, 6, 7, 8].map((k) => [k, 100]));
    expect(s.agg.lateCount).toBe(4);
  });

  it('drops and counts the pieces older than the lateness window, keeps the rest', () => {
    const latenessMs = 10_000;
    const ref = run(false, false, latenessMs);
    const s = run(true, true, latenessMs);
    expect(s.late).toEqual(ref.late);
    expect(s.seconds).toEqual(ref.seconds);
    expect(s.agg.tooLateCount).toBe(ref.agg.tooLateCount);
    expect(s.agg.tooLateCount).toBeGreaterThan(0);
    // Nothing older than the window reached the late path.
    expect(Math.min(...s.late.map(([, ts]) => ts))).toBeGreaterThanOrEqual(NOW - latenessMs);
  });

  it('hands a late single fold to a span listener as a span of one', () => {
    const s = setup(true);
    s.agg.closeThrough(T0 + 5_000);
    s.agg.fold(1, T0 + 1_500, 2, 3, 4, T0 + 5_100);
    expect(s.spans).toEqual([1]);
    expect(s.late).toEqual([[1, T0 + 1_500, 2, 3, 4]]);
  });
});
