import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { Ticker } from './ticker.ts';

const T0 = 1_800_000_000_000;

describe('Ticker', () => {
  it('steps every slot end once, in order, grace after it', () => {
    const clock = new ManualClock(T0 + 10);
    const steps: number[] = [];
    const at: number[] = [];
    const ticker = new Ticker(
      clock,
      250,
      20,
      (end) => (steps.push(end), at.push(clock.now())),
      () => {},
      T0,
    );
    ticker.start();
    clock.advance(1010);
    expect(steps.map((s) => s - T0)).toEqual([250, 500, 750, 1000]);
    expect(at.map((t) => t - T0)).toEqual([270, 520, 770, 1020]);
    ticker.stop();
    clock.advance(1000);
    expect(steps).toHaveLength(4);
  });

  it('catches up missed slots after a short stall, and jumps after a long one', () => {
    const clock = new ManualClock(T0);
    const steps: number[] = [];
    const jumps: number[] = [];
    const ticker = new Ticker(
      clock,
      1000,
      0,
      (e) => steps.push(e),
      (e) => jumps.push(e),
      T0,
      10_000,
    );
    ticker.start();
    clock.advance(1000);
    expect(steps).toEqual([T0 + 1000]);
    // A 5 s stall: the timer fires late, every missed slot is still stepped.
    clock.stall(5000);
    clock.advance(0);
    clock.advance(1000);
    expect(steps.map((s) => s - T0)).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000]);
    // A 60 s stall: one jump instead of 60 steps.
    clock.stall(60_000);
    clock.advance(1000);
    expect(jumps.map((j) => j - T0)).toEqual([67_000]);
    // …and ticks on from there.
    expect(steps.slice(7).map((s) => s - T0)).toEqual([68_000]);
    ticker.stop();
  });
});
