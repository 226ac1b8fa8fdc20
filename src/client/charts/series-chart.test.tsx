// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetEvent } from '../../protocol/api.ts';
import { countParts } from '../format/numbers.ts';
import { SeriesChart, type ChartRow } from './series-chart.tsx';

const T0 = 1_700_000_000_000;
const rows: ChartRow[] = Array.from({ length: 60 }, (_, i) => ({
  t: T0 + i * 60_000,
  online: i === 30 ? null : 1000 + i,
  devices: 1100,
}));
const outage: FleetEvent = {
  id: 'e1',
  kind: 'outage',
  scope: 'global',
  start: T0 + 20 * 60_000,
  end: null,
  title: 'Outage',
  description: '',
  simulated: true,
};

afterEach(cleanup);

/** The count chart as the Overview draws it: Devices (dashed if asked) and Online. */
function countChart(rows: ChartRow[], dashedDevices = false) {
  return (
    <SeriesChart
      rows={rows}
      lines={[
        {
          key: 'devices',
          name: 'Devices',
          color: 'var(--muted)',
          kind: 'line',
          dashed: dashedDevices,
        },
        { key: 'online', name: 'Online', color: 'var(--ok)', kind: 'line' },
      ]}
      domain={[T0, T0 + 61 * 60_000]}
      width={600}
      height={240}
      events={[]}
      format={countParts}
      kind="count"
      zoneLabel="UTC"
      tightDomain
    />
  );
}

describe('SeriesChart', () => {
  it('draws the lines with a break at a missing bucket, and shades an ongoing incident', () => {
    const { container } = render(
      <SeriesChart
        rows={rows}
        lines={[{ key: 'online', name: 'Online', color: 'var(--ok)', kind: 'line' }]}
        domain={[T0, T0 + 60 * 60_000]}
        width={600}
        height={240}
        events={[outage]}
        format={countParts}
        kind="count"
        zoneLabel="UTC"
        tightDomain
      />,
    );
    const path = container.querySelector('.recharts-line-curve')?.getAttribute('d') ?? '';
    // A null bucket splits the line: two "M" (move-to) commands.
    expect(path.match(/M/g)?.length).toBe(2);
    const area = container.querySelector('.recharts-reference-area-rect');
    expect(area).not.toBeNull();
    // Ongoing: the shading runs to the right edge of the plot.
    const x = Number(area!.getAttribute('x'));
    const w = Number(area!.getAttribute('width'));
    expect(x).toBeGreaterThan(0);
    expect(x + w).toBeGreaterThan(550);
    expect(container.textContent).toContain('UTC');
  });

  it('draws each tick without measuring its line paths (a forced layout per line per tick)', () => {
    // jsdom has no getTotalLength; a browser's forces layout and walks the path.
    const proto = window.SVGElement.prototype as unknown as { getTotalLength?: () => number };
    let measured = 0;
    proto.getTotalLength = () => {
      measured++;
      return 100;
    };
    try {
      const { container, rerender } = render(countChart(rows, true));
      const curves = () => [...container.querySelectorAll('.recharts-line-curve')];
      const before = curves().map((c) => c.getAttribute('d'));
      // The next tick appends a point.
      rerender(countChart([...rows, { t: T0 + 60 * 60_000, online: 1070, devices: 1100 }], true));
      expect(curves().map((c) => c.getAttribute('d'))).not.toEqual(before);
      expect(measured).toBe(0);
      // The lines keep their look: the dashed one is still dashed, the other solid.
      expect(curves().map((c) => c.getAttribute('stroke-dasharray') !== null)).toEqual([
        true,
        false,
      ]);
    } finally {
      delete proto.getTotalLength;
    }
  });

  it('draws a live window from its newest bucket where a chart given the window draws it', () => {
    const STEP = 60_000;
    const WINDOW = 60 * STEP;
    const chart = (last: number, follow: boolean) => {
      const from = last + STEP - WINDOW;
      // As the live series holds them: one bucket more than the window, the oldest clipped.
      const shown: ChartRow[] = rows.map((r, i) => ({ ...r, t: from + (i - 1) * STEP }));
      shown.push({ t: last, online: 1070, devices: 1100 });
      return (
        <SeriesChart
          rows={shown}
          lines={[{ key: 'online', name: 'Online', color: 'var(--ok)', kind: 'line' }]}
          domain={[from, last + STEP]}
          width={600}
          height={240}
          events={[{ ...outage, start: from - 5 * STEP }]}
          format={countParts}
          kind="count"
          zoneLabel="UTC"
          follow={follow}
        />
      );
    };
    const drawing = (container: HTMLElement) => ({
      labels: [...container.querySelectorAll('.recharts-xAxis-tick-labels text')].map(
        (e) => `${e.textContent}@${e.getAttribute('x')}`,
      ),
      line: container.querySelector('.recharts-line-curve')?.getAttribute('d'),
      incident: container.querySelector('.recharts-reference-area-rect')?.getAttribute('x'),
    });
    const last = T0 + 60 * STEP;
    const live = render(chart(last, true));
    const given = render(chart(last, false));
    expect(drawing(live.container).labels.length).toBeGreaterThan(3);
    expect(drawing(live.container)).toEqual(drawing(given.container));
    // The window moves on by a bucket: the labels move left, and both charts still agree.
    const before = drawing(live.container).labels;
    live.rerender(chart(last + STEP, true));
    given.rerender(chart(last + STEP, false));
    expect(drawing(live.container).labels).not.toEqual(before);
    expect(drawing(live.container)).toEqual(drawing(given.container));
    // The incident began before the window: its span starts left of the plot, clipped to it.
    const span = live.container.querySelector('.recharts-reference-area-rect')!;
    const grid = [...live.container.querySelectorAll('.recharts-cartesian-grid-horizontal line')];
    expect(grid.length).toBeGreaterThan(0);
    const gridLeft = Math.min(...grid.map((l) => Number(l.getAttribute('x1'))));
    expect(Number(span.getAttribute('x'))).toBeLessThan(gridLeft);
    expect(span.getAttribute('clip-path')).toMatch(/^url\(#.+\)$/);
  });

  /** The count chart's value-axis labels. */
  function valueAxisLabels(rows: ChartRow[]): string[] {
    const { container } = render(countChart(rows));
    return [...container.querySelectorAll('.recharts-yAxis-tick-labels text')].map(
      (e) => e.textContent ?? '',
    );
  }

  it('labels its value axis with the decimals of the axis it draws, a line at zero included', () => {
    // Under a status filter of offline devices: Online is 0, Devices a mean of about 124.
    const labels = valueAxisLabels(
      Array.from({ length: 60 }, (_, i) => ({
        t: T0 + i * 60_000,
        online: 0,
        devices: 124.2 + (i % 3) * 0.3,
      })),
    );
    expect(labels.length).toBeGreaterThan(2);
    expect(labels).toContain('0');
    expect(labels.filter((l) => l.includes('.'))).toEqual([]);
  });

  it('labels a narrow band of values with the decimals it needs, not from zero', () => {
    // A fresh server: one bucket, Online 4,740 and Devices 4,995.
    const labels = valueAxisLabels([{ t: T0, online: 4740, devices: 4995 }]);
    expect(labels.length).toBeGreaterThan(2);
    // Every label differs from the others ("5 k, 5 k, 5 k" says nothing).
    expect(new Set(labels).size).toBe(labels.length);
  });
});
