import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../protocol/api.ts';
import type { TickPayload } from '../../protocol/live.ts';
import {
  appendTick,
  capacity,
  countGaps,
  emptySeries,
  mergeHistory,
  seedFromHistory,
  type Series,
} from './series.ts';

const T0 = 1_700_000_000_000; // a multiple of 5 s
const HOUR = 3_600_000;

function history(from: number, stepMs: number, online: (number | null)[]): HistoryResponse {
  const t = online.map((_, i) => from + i * stepMs);
  return {
    scope: 'global',
    from,
    to: from + online.length * stepMs,
    stepMs,
    tier: 'sec',
    t,
    series: {
      online,
      devices: online.map((v) => (v === null ? null : 100)),
      bytesInRate: online.map((v) => (v === null ? null : 10)),
      bytesOutRate: online.map((v) => (v === null ? null : 5)),
    },
    completeness: online.map((v) => (v === null ? 0 : 1)),
    filter: null,
    kept: true,
  };
}

function tick(seq: number, online: number, tickMs = 1000): TickPayload {
  return {
    seq,
    ts: (seq + 1) * tickMs,
    tickMs,
    scope: 'global',
    filter: null,
    kpis: {
      devices: 100,
      online,
      degraded: 0,
      offline: 100 - online,
      msgRate: 1,
      bytesInRate: 10,
      bytesOutRate: 5,
    },
    breakdown: { tech: {}, class: {} },
    sites: { start: 0, count: 0, data: new Uint8Array(0) },
    simulated: true,
  };
}

const seqAt = (t: number, tickMs = 1000) => t / tickMs; // the tick whose period starts at t
const times = (s: Series) => s.points.map((p) => p.t);

function expectGrid(s: Series) {
  const t = times(s);
  expect(new Set(t).size).toBe(t.length);
  for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBe(s.stepMs);
}

describe('the chart series', () => {
  it('seeds from history on its bucket grid', () => {
    const s = seedFromHistory(history(T0, 5000, [90, 91, null, 93]), HOUR, 1000);
    expect(s.stepMs).toBe(5000);
    expect(times(s)).toEqual([T0, T0 + 5000, T0 + 10_000, T0 + 15_000]);
    expect(s.points.map((p) => p.online)).toEqual([90, 91, null, 93]);
    expect(countGaps(s)).toBe(1);
  });

  it('lands a tick in the bucket of its period start and averages ticks of one bucket', () => {
    let s = seedFromHistory(history(T0, 5000, [90]), HOUR, 1000);
    // The bucket [T0, T0+5s) is complete in history (weight 5); the next tick opens the next one.
    s = appendTick(s, tick(seqAt(T0 + 5000), 80));
    s = appendTick(s, tick(seqAt(T0 + 6000), 70));
    expect(times(s)).toEqual([T0, T0 + 5000]);
    expect(s.points[1]!.online).toBe(75);
    expect(s.points[1]!.weight).toBe(2);
    // The same tick twice never adds a point.
    const again = appendTick(s, tick(seqAt(T0 + 6000), 70));
    expect(times(again)).toEqual(times(s));
  });

  it('shows missed ticks as empty buckets and fills them from history without duplicates', () => {
    let s = seedFromHistory(history(T0, 1000, [50, 51]), HOUR, 1000);
    s = appendTick(s, tick(seqAt(T0 + 2000), 52));
    // The server restarts: ticks of T0+3s..T0+6s never arrive.
    s = appendTick(s, tick(seqAt(T0 + 7000), 57));
    expect(times(s)).toHaveLength(8);
    expect(countGaps(s)).toBe(4);
    expectGrid(s);
    // The gap read overlaps what is already there on both sides.
    s = mergeHistory(s, history(T0 + 2000, 1000, [52, 53, 54, 55, 56, 57]), 1000);
    expect(countGaps(s)).toBe(0);
    expectGrid(s);
    expect(s.points.map((p) => p.online)).toEqual([50, 51, 52, 53, 54, 55, 56, 57]);
    // A later tick continues the line.
    s = appendTick(s, tick(seqAt(T0 + 8000), 58));
    expect(times(s).at(-1)).toBe(T0 + 8000);
    expectGrid(s);
  });

  it('keeps what it has where a gap read has no data yet', () => {
    let s = seedFromHistory(history(T0, 1000, [50, 51]), HOUR, 1000);
    s = appendTick(s, tick(seqAt(T0 + 5000), 55));
    s = mergeHistory(s, history(T0 + 1000, 1000, [null, 52, null, null, null]), 1000);
    expect(s.points.map((p) => p.online)).toEqual([50, 51, 52, null, null, 55]);
    expect(countGaps(s)).toBe(2);
  });

  it('does not let a partly written history bucket replace fuller ticks', () => {
    let s = emptySeries(5000, HOUR);
    for (let i = 0; i < 5; i++) s = appendTick(s, tick(seqAt(T0 + i * 1000), 80));
    s = appendTick(s, tick(seqAt(T0 + 5000), 81));
    const partial = history(T0, 5000, [70]);
    s = mergeHistory(s, { ...partial, completeness: [0.4] }, 1000);
    expect(s.points[0]!.online).toBe(80);
    s = mergeHistory(s, partial, 1000); // complete now: the server's figure wins
    expect(s.points[0]!.online).toBe(70);
    expect(s.points[0]!.weight).toBe(5);
  });

  it('averages finer history into the series grid', () => {
    const s = mergeHistory(
      { ...emptySeries(5000, HOUR), points: [] },
      history(T0, 1000, [10, 20, 30, 40, 50, 60]),
      1000,
    );
    expect(times(s)).toEqual([T0, T0 + 5000]);
    expect(s.points[0]!.online).toBe(30);
    expect(s.points[1]!.online).toBe(60);
  });

  it('stays within the window however long it runs, and restarts after a long outage', () => {
    const stepMs = 5000;
    let s = emptySeries(stepMs, HOUR);
    const cap = capacity(HOUR, stepMs);
    for (let i = 0; i < 2 * 3600; i++) s = appendTick(s, tick(seqAt(T0 + i * 1000), i % 100));
    expect(s.points.length).toBe(cap);
    expectGrid(s);
    // Two hours without a tick: the empty stretch is bounded too.
    s = appendTick(s, tick(seqAt(T0 + 4 * HOUR), 1));
    expect(s.points.length).toBeLessThanOrEqual(cap);
    expect(times(s).at(-1)).toBe(T0 + 4 * HOUR);
    expectGrid(s);
  });

  it('places sub-second ticks by the start of their period', () => {
    let s = emptySeries(1000, HOUR);
    s = appendTick(s, tick(seqAt(T0, 500), 10, 500)); // covers [T0, T0+0.5s)
    s = appendTick(s, tick(seqAt(T0 + 500, 500), 20, 500)); // [T0+0.5s, T0+1s)
    s = appendTick(s, tick(seqAt(T0 + 1000, 500), 30, 500));
    expect(times(s)).toEqual([T0, T0 + 1000]);
    expect(s.points[0]!.online).toBe(15);
  });
});
