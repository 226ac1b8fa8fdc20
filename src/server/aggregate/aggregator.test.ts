import { describe, expect, it } from 'vitest';
import {
  Aggregator,
  FOLD_FUTURE,
  FOLD_LATE,
  FOLD_OK,
  STATUS_ABSENT,
  STATUS_DEGRADED,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from './aggregator.ts';
import { TRAFFIC_FIELDS } from './cells.ts';

const T0 = 1_800_000_000_000; // a whole second

function recorder(tickMs: number, graceMs = 0) {
  const seconds: { start: number; msgs: number; bytesIn: number }[] = [];
  const ticks: { end: number; msgs: number }[] = [];
  const late: number[] = [];
  const agg = new Aggregator(
    { cells: 4, tickMs, graceMs, start: T0 },
    {
      onSecond: (start, traffic) =>
        seconds.push({ start, msgs: traffic[0]!, bytesIn: traffic[1]! }),
      onTick: (end, traffic) => ticks.push({ end, msgs: traffic[0]! }),
      onLate: (_cell, ts) => late.push(ts),
    },
  );
  return { agg, seconds, ticks, late };
}

describe('Aggregator', () => {
  it('keeps online + degraded + offline = devices exactly through any moves', () => {
    const { agg } = recorder(1000);
    const moves: [number, number][] = [
      [STATUS_ABSENT, STATUS_ONLINE],
      [STATUS_ABSENT, STATUS_ONLINE],
      [STATUS_ABSENT, STATUS_OFFLINE],
      [STATUS_ONLINE, STATUS_DEGRADED],
      [STATUS_OFFLINE, STATUS_ONLINE],
      [STATUS_DEGRADED, STATUS_ABSENT],
    ];
    for (const [from, to] of moves) agg.applyStatus(2, from, to, 1_000_000_007);
    const { devices, online, degraded } = agg.counts;
    expect(devices[2]).toBe(2 * 1_000_000_007);
    expect(online[2]).toBe(2 * 1_000_000_007);
    expect(degraded[2]).toBe(0);
    expect(devices[1]).toBe(0);
  });

  it('folds traffic by event time: a late report lands in its own second', () => {
    const { agg, seconds } = recorder(1000, 500);
    // Slot [T0, T0+1000) is open until it is closed, even after its end.
    expect(agg.fold(0, T0 + 999, 3, 300, 30, T0 + 1200)).toBe(FOLD_OK);
    expect(agg.fold(0, T0 + 1000, 5, 500, 50, T0 + 1200)).toBe(FOLD_OK);
    agg.closeThrough(T0 + 1000);
    agg.closeThrough(T0 + 2000);
    expect(seconds).toEqual([
      { start: T0, msgs: 3, bytesIn: 300 },
      { start: T0 + 1000, msgs: 5, bytesIn: 500 },
    ]);
  });

  it('sends traffic older than the open window to the late path, and far-future traffic nowhere', () => {
    const { agg, late, seconds } = recorder(1000);
    agg.closeThrough(T0 + 3000);
    expect(agg.fold(1, T0 + 1500, 1, 1, 1, T0 + 3100)).toBe(FOLD_LATE);
    expect(late).toEqual([T0 + 1500]);
    expect(agg.fold(1, T0 + 60_000, 1, 1, 1, T0 + 3100)).toBe(FOLD_FUTURE);
    // Slightly ahead of our clock (device clock skew) counts now.
    expect(agg.fold(1, T0 + 4500, 7, 0, 0, T0 + 3100)).toBe(FOLD_OK);
    agg.closeThrough(T0 + 4000);
    expect(seconds.at(-1)).toMatchObject({ start: T0 + 3000, msgs: 0 });
    const cell1 = seconds.length;
    agg.closeThrough(T0 + 5000);
    expect(seconds.length).toBe(cell1 + 1);
  });

  it('with 250 ms ticks: a tick per slot, rates per tick, and seconds summing four slots', () => {
    const { agg, seconds, ticks } = recorder(250);
    for (let k = 0; k < 8; k++) {
      agg.slotBuffer(T0 + k * 250)![0 * TRAFFIC_FIELDS]! += k + 1;
      agg.closeThrough(T0 + (k + 1) * 250);
    }
    expect(ticks.map((t) => t.msgs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ticks.map((t) => t.end - T0)).toEqual([250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    expect(seconds.map((s) => s.msgs)).toEqual([1 + 2 + 3 + 4, 5 + 6 + 7 + 8]);
  });

  it('with 5 s ticks: one tick per five one-second slots', () => {
    const { agg, seconds, ticks } = recorder(5000);
    for (let k = 0; k < 10; k++) {
      agg.slotBuffer(T0 + k * 1000)![0]! += 10;
      agg.closeThrough(T0 + (k + 1) * 1000);
    }
    expect(seconds).toHaveLength(10);
    expect(ticks).toEqual([
      { end: T0 + 5000, msgs: 50 },
      { end: T0 + 10_000, msgs: 50 },
    ]);
  });
});
