import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../history/series.ts';
import { hourAgo, kpiChange, pointValue } from './kpi-trend.ts';

const MIN = 60_000;
const point = (t: number, devices: number, online: number): SeriesPoint => ({
  t,
  devices,
  online,
  degraded: 10,
  bytesInRate: 100,
  bytesOutRate: 20,
  msgRate: 5,
  weight: 60,
});

describe('KPI trend', () => {
  it('reads each tile’s figure from a chart point', () => {
    const p = point(0, 1000, 900);
    expect(pointValue('onlinePct', p)).toBe(0.9);
    expect(pointValue('connected', p)).toBe(910);
    expect(pointValue('offline', p)).toBe(90);
    expect(pointValue('flow', p)).toBe(120);
    expect(pointValue('messages', p)).toBe(5);
  });

  it('finds the figure of an hour ago, or says it has none', () => {
    const now = 120 * MIN;
    const points = [
      point(59 * MIN, 800, 700),
      point(60 * MIN, 900, 800),
      point(119 * MIN, 1000, 900),
    ];
    expect(hourAgo('devices', points, now)).toBe(800);
    expect(hourAgo('devices', points.slice(2), now)).toBeNull(); // starts 1 min ago: no figure
  });

  it('says the change in percent, or percentage points for the online share', () => {
    expect(kpiChange('devices', 1024, 1000)?.text).toBe('▲ 2.4 %');
    expect(kpiChange('offline', 90, 100)?.words).toBe('down 10.0 % on an hour ago');
    expect(kpiChange('onlinePct', 0.953, 0.95)?.text).toBe('▲ 0.3 pp');
    expect(kpiChange('flow', 5, 5)?.text).toBe('= 0.0 %');
    expect(kpiChange('messages', 5, null)).toBeNull();
    expect(kpiChange('offline', 3, 0)).toBeNull(); // from nothing: no percentage
  });
});
