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

const EVENT_COLORS: Record<FleetEvent['kind'], string> = {
  outage: '#d98bbb',
  degradation: '#e69f00',
  firmware: '#a6b3c3',
};

const TEN_MINUTES = 10 * 60_000;

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
      <CartesianGrid stroke="#263242" strokeDasharray="2 4" vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={domain}
        allowDataOverflow
        ticks={timeTicks(from, to, TEN_MINUTES)}
        tickFormatter={(t: number) => formatAxisTime(t)}
        stroke="#a6b3c3"
        tick={{ fill: '#a6b3c3', fontSize: '0.8rem' }}
        tickLine={false}
        // The zone sits under the value axis, beside the first time, never on a tick label.
        label={{
          value: zoneLabel,
          position: 'left',
          offset: 10,
          fill: '#a6b3c3',
          fontSize: '0.8rem',
        }}
      />
      <YAxis
        width={64}
        domain={tightDomain ? ['auto', 'auto'] : [0, 'auto']}
        tickFormatter={(v: number) => joinParts(axisFormat(v))}
        stroke="#a6b3c3"
        tick={{ fill: '#a6b3c3', fontSize: '0.8rem' }}
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
        cursor={{ stroke: '#eef2f7', strokeOpacity: 0.4 }}
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
            strokeWidth={2}
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
            strokeWidth={l.dashed ? 1.5 : 2.5}
            strokeDasharray={l.dashed ? '6 4' : undefined}
            dot={false}
            activeDot={{ r: 3 }}
            isAnimationActive={false}
            connectNulls={false}
          />
        ),
      )}
    </ComposedChart>
  );
});
