import { memo, useMemo } from 'react';
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
import { axisFormatter } from './axis-format.ts';
import { formatClock } from '../format/time.ts';
import { formatAxisTime, timeTicks } from './time-zone.ts';

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
}

// Colours are the theme's CSS variables (base.css): SVG presentation attributes resolve var().
const EVENT_COLORS: Record<FleetEvent['kind'], string> = {
  outage: 'var(--bad)',
  degradation: 'var(--warn)',
  firmware: 'var(--text-muted)',
};
const AXIS = 'var(--text-muted)';

const TEN_MINUTES = 10 * 60_000;
const AXIS_FONT_REM = 0.8;

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
  tightDomain,
  kind,
}: SeriesChartProps) {
  const [from, to] = domain;
  // Read on every render: a resize that changes the type also re-renders the chart.
  const rem = remPx();
  const fontPx = AXIS_FONT_REM * rem;
  // Lines thicken with the type, so a 4K wall draws them as a laptop does.
  const stroke = (px: number) => (px * rem) / 16;
  const axisFormat = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    const stacked = lines.filter((l) => l.kind === 'area');
    for (const row of rows) {
      let sum = 0;
      for (const l of stacked) sum += row[l.key] ?? 0;
      for (const v of [...lines.filter((l) => l.kind === 'line').map((l) => row[l.key]), sum]) {
        if (typeof v !== 'number' || (v === 0 && stacked.length === 0)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Number.isFinite(lo)) return axisFormatter(0, 1, kind);
    return axisFormatter(tightDomain ? lo : 0, hi, kind);
  }, [rows, lines, kind, tightDomain]);
  return (
    <ComposedChart
      width={width}
      height={height}
      data={rows as ChartRow[]}
      margin={{ top: 8, right: 12, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke="var(--border)" strokeDasharray="2 4" vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={domain}
        allowDataOverflow
        ticks={timeTicks(from, to, TEN_MINUTES)}
        tickFormatter={(t: number) => formatAxisTime(t)}
        stroke={AXIS}
        tick={{ fill: AXIS, fontSize: fontPx }}
        tickLine={false}
        // Tall enough that the zone label below never touches the value axis's lowest label.
        height={Math.ceil(fontPx * 2.4)}
        // The zone sits under the value axis, beside the first time, never on a tick label.
        label={{
          value: zoneLabel,
          position: 'left',
          offset: 10,
          fill: AXIS,
          fontSize: fontPx,
        }}
      />
      <YAxis
        // Sized to its labels: they grow with the viewport-scaled type on a wall.
        width="auto"
        domain={tightDomain ? ['auto', 'auto'] : [0, 'auto']}
        tickFormatter={(v: number) => joinParts(axisFormat(v))}
        stroke={AXIS}
        tick={{ fill: AXIS, fontSize: fontPx }}
        tickLine={false}
        axisLine={false}
        tickCount={4}
      />
      {events.map((e) => {
        const x1 = Math.max(e.start, from);
        const x2 = Math.min(e.end ?? to, to);
        if (x2 <= x1) return null;
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
      })}
      <Tooltip
        content={(props) => <ChartTooltip {...props} format={format} />}
        isAnimationActive={false}
        cursor={{ stroke: 'var(--text)', strokeOpacity: 0.4 }}
      />
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
            activeDot={{ r: stroke(3) }}
            isAnimationActive={false}
            connectNulls={false}
          />
        ),
      )}
    </ComposedChart>
  );
});
