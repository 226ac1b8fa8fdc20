import { describe, expect, it } from 'vitest';
import { sameDrawing } from './drawn-rows.ts';
import type { ChartLine, ChartRow } from './series-chart.tsx';

const LINES: ChartLine[] = [
  { key: 'devices', name: 'Devices', color: 'x', kind: 'line' },
  { key: 'online', name: 'Online', color: 'x', kind: 'line' },
];
const AREAS: ChartLine[] = [
  { key: 'in', name: 'In', color: 'x', kind: 'area' },
  { key: 'out', name: 'Out', color: 'x', kind: 'area' },
];

// 100 px tall; the online chart spans 900..1000, so one unit is one pixel at most.
const counts = (last: Partial<ChartRow> = {}): ChartRow[] => [
  { t: 0, devices: 1000, online: 900 },
  { t: 10, devices: 1000, online: 950 },
  { t: 20, devices: 1000, online: 940, ...last },
];

describe('sameDrawing', () => {
  it('keeps the picture while the current bucket moves by less than half a pixel', () => {
    const prev = counts();
    expect(sameDrawing(prev, counts({ online: 940.4 }), LINES, 100, true)).toBe(true);
    expect(sameDrawing(prev, counts({ online: 940.6 }), LINES, 100, true)).toBe(false);
  });

  it('draws again for a new bucket, a new extent or a gap that opens or closes', () => {
    const prev = counts();
    const next = [...counts().slice(1), { t: 30, devices: 1000, online: 940 }];
    expect(sameDrawing(prev, next, LINES, 100, true)).toBe(false);
    // 899.9 is a new lowest value: the axis changes although the point moves a tenth of a unit.
    const lower = counts();
    lower[0] = { t: 0, devices: 1000, online: 899.9 };
    expect(sameDrawing(prev, lower, LINES, 100, true)).toBe(false);
    expect(sameDrawing(prev, counts({ online: null }), LINES, 100, true)).toBe(false);
  });

  it('counts the moves of the areas below a stacked edge', () => {
    // 0..200 on a 100 px chart: 2 units a pixel; each area moves 0.6 units, the top edge 1.2.
    const prev: ChartRow[] = [
      { t: 0, in: 100, out: 100 },
      { t: 10, in: 50, out: 50 },
    ];
    const next: ChartRow[] = [prev[0]!, { t: 10, in: 50.6, out: 50.6 }];
    expect(sameDrawing(prev, next, AREAS, 100, false)).toBe(false);
    const small: ChartRow[] = [prev[0]!, { t: 10, in: 50.3, out: 50.3 }];
    expect(sameDrawing(prev, small, AREAS, 100, false)).toBe(true);
  });
});
