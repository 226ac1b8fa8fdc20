import { describe, expect, it } from 'vitest';
import { sparkRuns } from '../charts/sparkline.tsx';
import { ChildTrends, TREND_SAMPLES } from './child-trends.ts';

const f = (devices: number, online: number) => ({
  devices,
  online,
  degraded: 0,
  offline: devices - online,
  flowRate: 0,
});

describe('ChildTrends', () => {
  it('keeps one sample per tick, at most TREND_SAMPLES', () => {
    const t = new ChildTrends();
    t.push(1, new Map([['a', f(10, 9)]]));
    t.push(1, new Map([['a', f(10, 1)]])); // the same tick again: ignored
    t.push(2, new Map([['a', f(10, 8)]]));
    expect(t.of('a')).toEqual([0.9, 0.8]);
    for (let s = 3; s < 500; s++) t.push(s, new Map([['a', f(10, 10)]]));
    expect(t.of('a')).toHaveLength(TREND_SAMPLES);
    expect(t.of('b')).toEqual([]);
  });

  it('draws a flat line mid-height and a fall from top to bottom', () => {
    expect(sparkRuns([0.9, 0.9], 10, 10)).toEqual(['0.0,5.0 10.0,5.0']);
    expect(sparkRuns([1, 0.5], 10, 10)).toEqual(['0.0,0.0 10.0,10.0']);
    expect(sparkRuns([0.5], 10, 10)).toEqual([]);
  });

  it('breaks the line where there is no data instead of bridging the hole', () => {
    // A server back-filling its past: an hour with a hole in the middle.
    expect(sparkRuns([1, 0.5, NaN, NaN, 1, 0.5], 10, 10)).toEqual([
      '0.0,0.0 2.0,10.0',
      '8.0,0.0 10.0,10.0',
    ]);
  });
});
