import { memo, useCallback, useMemo, useRef, useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { FleetEvent } from '../../protocol/api.ts';
import { joinParts, type RateUnit } from '../format/numbers.ts';
import { formatOnAxis } from './axis-format.ts';
import { PlainLineShape } from './plain-line-shape.tsx';
import { sameValues } from './sparkline.tsx';
import { tickCountFor, valueAxis, type ValueAxis } from './value-axis.ts';
import { valueExtent } from './value-extent.ts';
import { formatClock } from '../format/time.ts';
import { formatAxisDate, formatAxisTime, timeTicks } from './time-zone.ts';

export interface ChartLine {
  key: string;
  name: string;
  color: string;
  /** Areas stack on each other; lines are drawn over them. */
  kind: 'area' | 'line';
  dashed?: boolean;
}

export interface ChartRow {
  t: number;
  [key: string]: number | null;
}

interface SeriesChartProps {
  rows: readonly ChartRow[];
  lines: readonly ChartLine[];
  domain: [number, number];
  width: number;
  height: number;
  events: readonly FleetEvent[];
  /** Tooltip figure: "4.9 k", "380 MB/s". */
  format: (v: number) => { value: string; unit: string };
  /** What the values are, for the axis labels' unit and decimals. */
  kind: 'count' | RateUnit;
  zoneLabel: string;
  /** Counts sit near their maximum: start the axis near the data rather than at zero. */
  tightDomain?: boolean;
  /** A drag across the chart asks for that stretch of time. */
  onZoom?: (from: number, to: number) => void;
  /**
   * A live window: `domain` ends one step after the newest row, and moves with it. The time
   * axis then takes its window from the rows (see liveDomain).
   */
  follow?: boolean;
}

// Colours are the theme's CSS variables (base.css): SVG presentation attributes resolve var().
const EVENT_COLORS: Record<FleetEvent['kind'], string> = {
  outage: 'var(--bad)',
  degradation: 'var(--warn)',
  firmware: 'var(--text-muted)',
};
const AXIS = 'var(--text-muted)';
const ZOOM_CURSOR = { cursor: 'crosshair' };

/** Time labels: about six to eight across any live window. */
function tickEvery(spanMs: number): number {
  const MIN = 60_000;
  if (spanMs <= 15 * MIN) return 2 * MIN;
  if (spanMs <= 60 * MIN) return 10 * MIN;
  if (spanMs <= 6 * 60 * MIN) return 60 * MIN;
  if (spanMs <= 24 * 60 * MIN) return 3 * 60 * MIN;
  const DAY = 24 * 60 * MIN;
  if (spanMs <= 8 * DAY) return DAY;
  if (spanMs <= 31 * DAY) return 5 * DAY;
  return 15 * DAY;
}
const AXIS_FONT_REM = 0.8;

// Recharts 3 copies its props into a store in effects and compares them by identity: a new
// object or function on every render (a tick, the one-second clock) makes it dispatch, and the
// whole chart computes and draws again. Everything handed to it is therefore a constant or
// memoised on what it is made of.
const MARGIN = { top: 8, right: 12, bottom: 4, left: 4 };
const GRID_DASH = '2 4';
const CURSOR = { stroke: 'var(--text)', strokeOpacity: 0.4 };
const formatTimeTick = (t: number): string => formatAxisTime(t);
const formatDateTick = (t: number): string => formatAxisDate(t);
const TWO_DAYS = 2 * 86_400_000;

/**
 * The time axis of a live window, worked out from its newest row. Recharts 3 hands a changed
 * axis setting (a new domain) to its store in a batch that it renders in the next animation
 * frame: with the window given as numbers, each move by a bucket was drawn in the map's frame
 * task (seen in Chromium). As a function of the rows the setting stays the same object, and
 * the move is drawn with the rows that caused it.
 */
function liveDomain(stepMs: number, windowMs: number) {
  return ([, newest]: readonly [number, number]): [number, number] => [
    newest + stepMs - windowMs,
    newest + stepMs,
  ];
}

/** The same array while its values stay the same, for props Recharts compares by identity. */
function useSameValues(values: number[]): number[] {
  const last = useRef(values);
  if (sameValues(last.current, values)) return last.current;
  last.current = values;
  return values;
}

/** The root font size in pixels: type follows the viewport (base.css), and so do the axes. */
function remPx(): number {
  if (typeof document === 'undefined') return 16;
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

interface TooltipRow {
  dataKey?: unknown;
  name?: unknown;
  value?: unknown;
  color?: string;
}

function ChartTooltip({
  active,
  payload,
  label,
  format,
}: {
  active?: boolean;
  payload?: readonly TooltipRow[];
  label?: unknown;
  format: SeriesChartProps['format'];
}) {
  if (!active || !payload?.length || typeof label !== 'number') return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip__time">{formatClock(label)}</div>
      {payload.map((p) => (
        <div key={String(p.dataKey)} className="chart-tooltip__row">
          <span className="chart-tooltip__swatch" style={{ background: p.color }} />
          <span>{String(p.name)}</span>
          <strong>{typeof p.value === 'number' ? joinParts(format(p.value)) : 'no data'}</strong>
        </div>
      ))}
    </div>
  );
}

/**
 * Incidents as shaded spans; its own memo, as Recharts re-registers a `ReferenceArea` on each
 * render. A span's ends do not follow the moving window (the plot clips what lies outside), so
 * a move does not register the areas again: an ongoing incident runs to a point past the
 * window's end that moves once per window length.
 */
const IncidentAreas = memo(function IncidentAreas({
  events,
  from,
  to,
}: {
  events: readonly FleetEvent[];
  from: number;
  to: number;
}) {
  const span = to - from;
  const openEnd = span > 0 ? (Math.floor(to / span) + 2) * span : to;
  return events.map((e) => {
    const x1 = e.start;
    const x2 = e.end ?? Math.max(openEnd, e.start);
    if (x2 <= from || x1 >= to || x2 <= x1) return null;
    return (
      <ReferenceArea
        key={e.id}
        x1={x1}
        x2={x2}
        fill={EVENT_COLORS[e.kind]}
        fillOpacity={0.16}
        stroke={EVENT_COLORS[e.kind]}
        strokeOpacity={0.5}
        ifOverflow="hidden"
      />
    );
  });
});

/**
 * The value axis for these rows (stacked areas count by their sum), the same object while its
 * ticks, labels and width stay the same: Recharts then has no new axis settings to work through.
 */
function useValueAxis(
  rows: readonly ChartRow[],
  lines: readonly ChartLine[],
  kind: SeriesChartProps['kind'],
  tightDomain: boolean,
  fontPx: number,
  count: number,
): ValueAxis {
  const last = useRef<ValueAxis | null>(null);
  return useMemo(() => {
    // Every drawn value counts, zeros too: the axis spans them, and its decimals its span.
    const { lo, hi } = valueExtent(rows, lines);
    const next = valueAxis(lo, hi, kind, !tightDomain, fontPx, count);
    const prev = last.current;
    if (
      prev &&
      prev.width === next.width &&
      prev.labels.join('|') === next.labels.join('|') &&
      prev.ticks.join('|') === next.ticks.join('|')
    ) {
      return prev;
    }
    last.current = next;
    return next;
  }, [rows, lines, kind, tightDomain, fontPx, count]);
}

/** One live time-series chart: no animation, one point per bucket, incidents shaded. */
export const SeriesChart = memo(function SeriesChart({
  rows,
  lines,
  domain,
  width,
  height,
  events,
  format,
  zoneLabel,
  tightDomain = false,
  kind,
  onZoom,
  follow = false,
}: SeriesChartProps) {
  const [from, to] = domain;
  const windowMs = to - from;
  // The step of the newest bucket, from the window these rows came with (none before a row).
  const newest = rows.at(-1)?.t;
  const stepMs = follow && newest !== undefined && to > newest ? to - newest : null;
  const followed = useMemo(
    () => (stepMs === null ? null : liveDomain(stepMs, windowMs)),
    [stepMs, windowMs],
  );
  const xDomain = followed ?? domain;
  // Drag to zoom: where the pointer went down and where it is now (chart time, epoch ms).
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const at = (state: unknown): number | null => {
    const label = (state as { activeLabel?: unknown } | null)?.activeLabel;
    const t = typeof label === 'string' ? Number(label) : label;
    return typeof t === 'number' && Number.isFinite(t) ? t : null;
  };
  const endDrag = () => {
    if (drag && onZoom) {
      const lo = Math.min(drag.a, drag.b);
      const hi = Math.max(drag.a, drag.b);
      // A click or a tiny drag is not a zoom: at least 1 % of the chart and a minute.
      if (hi - lo >= Math.max(60_000, (to - from) / 100)) onZoom(lo, hi);
    }
    setDrag(null);
  };
  // Read again when the size changes: a resize that changes the type also resizes the chart.
  // (getComputedStyle on every render would cost a style recalculation per tick.)
  const rem = useMemo(() => remPx(), [width, height]);
  const fontPx = AXIS_FONT_REM * rem;
  // Lines thicken with the type, so a 4K wall draws them as a laptop does.
  const stroke = (px: number) => (px * rem) / 16;
  const tick = useMemo(() => ({ fill: AXIS, fontSize: fontPx }), [fontPx]);
  const zone = useMemo(
    () => ({
      value: zoneLabel,
      // On the axis's second line, from its left end: beside the value axis it was clipped
      // when the value labels were narrower than the zone ("GMT+9" next to "60").
      position: 'insideBottomLeft' as const,
      offset: 0,
      fill: AXIS,
      fontSize: fontPx,
    }),
    [zoneLabel, fontPx],
  );
  const activeDot = useMemo(() => ({ r: (3 * rem) / 16 }), [rem]);
  const timeTickValues = useSameValues(
    useMemo(() => timeTicks(from, to, tickEvery(to - from)), [from, to]),
  );
  // Round ticks worked out here, their labels measured on a canvas: Recharts' own "auto" width
  // read every label's box from the page after each redraw, a forced layout per chart update.
  // A short plot (a wall's kiosk layout) gets fewer ticks rather than labels on each other.
  const timeAxisPx = Math.ceil(fontPx * 2.4);
  const plotPx = height - timeAxisPx - MARGIN.top - MARGIN.bottom;
  const axis = useValueAxis(rows, lines, kind, tightDomain, fontPx, tickCountFor(plotPx, fontPx));
  const formatValueTick = useCallback(
    (v: number) => joinParts(formatOnAxis(axis.scale, v)),
    [axis.scale],
  );
  const tooltip = useCallback(
    (props: Omit<Parameters<typeof ChartTooltip>[0], 'format'>) => (
      <ChartTooltip {...props} format={format} />
    ),
    [format],
  );
  return (
    <ComposedChart
      width={width}
      height={height}
      data={rows as ChartRow[]}
      margin={MARGIN}
      accessibilityLayer={false}
      onMouseDown={(state) => {
        const t = onZoom ? at(state) : null;
        if (t !== null) setDrag({ a: t, b: t });
      }}
      onMouseMove={(state) => {
        const t = drag ? at(state) : null;
        if (drag && t !== null && t !== drag.b) setDrag({ a: drag.a, b: t });
      }}
      onMouseUp={endDrag}
      onMouseLeave={() => setDrag(null)}
      style={onZoom ? ZOOM_CURSOR : undefined}
    >
      <CartesianGrid stroke="var(--border)" strokeDasharray={GRID_DASH} vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={xDomain}
        allowDataOverflow
        ticks={timeTickValues}
        tickFormatter={to - from > TWO_DAYS ? formatDateTick : formatTimeTick}
        stroke={AXIS}
        tick={tick}
        tickLine={false}
        // Tall enough that the zone label below never touches the value axis's lowest label.
        height={timeAxisPx}
        // The zone sits under the first time, never on a tick label.
        label={zone}
      />
      <YAxis
        // Sized to its labels: they grow with the viewport-scaled type on a wall.
        width={axis.width}
        domain={axis.domain}
        ticks={axis.ticks}
        interval={0}
        tickFormatter={formatValueTick}
        stroke={AXIS}
        tick={tick}
        tickLine={false}
        axisLine={false}
      />
      <IncidentAreas events={events} from={from} to={to} />
      {drag && drag.a !== drag.b ? (
        <ReferenceArea
          x1={Math.min(drag.a, drag.b)}
          x2={Math.max(drag.a, drag.b)}
          fill="var(--focus)"
          fillOpacity={0.18}
          stroke="var(--focus)"
          ifOverflow="hidden"
        />
      ) : null}
      <Tooltip content={tooltip} isAnimationActive={false} cursor={CURSOR} />
      {lines.map((l) =>
        l.kind === 'area' ? (
          <Area
            key={l.key}
            dataKey={l.key}
            name={l.name}
            stackId="stack"
            type="linear"
            stroke={l.color}
            fill={l.color}
            fillOpacity={0.35}
            strokeWidth={stroke(2)}
            dot={false}
            activeDot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        ) : (
          <Line
            key={l.key}
            dataKey={l.key}
            name={l.name}
            type="linear"
            stroke={l.color}
            strokeWidth={stroke(l.dashed ? 1.5 : 2.5)}
            strokeDasharray={l.dashed ? `${stroke(6)} ${stroke(4)}` : undefined}
            dot={false}
            activeDot={activeDot}
            isAnimationActive={false}
            connectNulls={false}
            shape={PlainLineShape}
          />
        ),
      )}
    </ComposedChart>
  );
});
