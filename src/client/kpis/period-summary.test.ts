import { describe, expect, it } from 'vitest';
import type { Series, SeriesPoint } from '../history/series.ts';
import { periodValues, summarisePeriod } from './period-summary.ts';

const H = 3_600_000;
const point = (t: number, devices: number, online: number, weight: number): SeriesPoint => ({
  t,
  devices,
  online,
  degraded: 0,
  bytesInRate: 1000,
  bytesOutRate: 0,
  msgRate: 2,
  weight,
});

describe('a past period in the tiles', () => {
  it('weights averages by time, totals rates over time, and says how complete it is', () => {
    // Two hours: the first all 100 devices online, the second 200 devices, half online;
    // the third hour has no data.
    const series: Series = {
      stepMs: H,
      windowMs: 3 * H,
      points: [point(0, 100, 100, 3600), point(H, 200, 100, 3600), point(2 * H, 0, 0, 0)],
    };
    const s = summarisePeriod(series, 0, 3 * H)!;
    expect(s.onlineShare).toBeCloseTo(200 / 300, 10); // not the mean of 100 % and 50 %
    expect(s.devicesEnd).toBe(200);
    expect(s.offlineEnd).toBe(100);
    expect(s.bytesTotal).toBe(1000 * 7200);
    expect(s.msgTotal).toBe(2 * 7200);
    expect(s.completeness).toBeCloseTo(2 / 3, 10);
    const tiles = periodValues(s, 'bytes');
    expect(tiles.find((t) => t.id === 'flow')!.parts).toEqual({ value: '7.2', unit: 'MB' });
    expect(tiles.find((t) => t.id === 'onlinePct')!.detail).toBe('time-weighted average');
  });

  it('has nothing to say of a period without data', () => {
    expect(summarisePeriod({ stepMs: H, windowMs: H, points: [] }, 0, H)).toBeNull();
  });
});
