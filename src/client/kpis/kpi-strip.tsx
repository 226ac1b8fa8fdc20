import { useMemo } from 'react';
import { RECENT_HISTORY, type ViewFilter } from '../../protocol/live.ts';
import type { RateUnit } from '../format/numbers.ts';
import { formatClock } from '../format/time.ts';
import { useLiveSeries } from '../history/use-live-series.ts';
import { useLive, useStaleSince } from '../live/use-live.ts';
import { KpiTile } from './kpi-tile.tsx';
import { hourAgo, kpiChange, kpiValue, pointValue, type KpiChange } from './kpi-trend.ts';
import { kpiValues, type KpiId, type KpiValue } from './kpi-values.ts';

const LABELS: readonly [KpiId, string][] = [
  ['devices', 'Devices'],
  ['onlinePct', 'Online'],
  ['connected', 'Connected'],
  ['flow', 'Data flow'],
  ['messages', 'Messages/s'],
  ['offline', 'Offline'],
];

/** The tiles' trend lines: the last hour, one point a minute, as the subscription's ack has it. */
const TREND_POINTS = RECENT_HISTORY.maxPoints;
const NONE: readonly number[] = [];

interface KpiStripProps {
  units: RateUnit;
  scope: string;
  filter: ViewFilter | null;
}

/** The headline figures of the current view, each with its last hour and the change on it. */
export function KpiStrip({ units, scope, filter }: KpiStripProps) {
  const live = useLive();
  const staleSince = useStaleSince();
  const stale = staleSince !== null;
  const kpis = live.tick?.kpis;
  const ts = live.tick?.ts;
  const series = useLiveSeries(scope, TREND_POINTS, filter);
  // Formatted once per tick, not again on the freshness clock's renders in between.
  const values = useMemo(
    () => (kpis ? new Map(kpiValues(kpis, units).map((v) => [v.id, v])) : null),
    [kpis, units],
  );
  const trends = useMemo(() => {
    const out = new Map<KpiId, { trend: readonly number[]; change: KpiChange | null }>();
    for (const [id] of LABELS) {
      const points = series?.points ?? [];
      const trend = points.map((p) => pointValue(id, p) ?? Number.NaN);
      const then = ts === undefined ? null : hourAgo(id, points, ts);
      out.set(id, { trend, change: kpis ? kpiChange(id, kpiValue(id, kpis), then) : null });
    }
    return out;
  }, [series, kpis, ts]);
  let note: string | null = null;
  if (stale && staleSince !== null) note = `Stale since ${formatClock(staleSince)}`;
  else if (!values)
    note = live.state === 'offline' ? 'No data: server unreachable' : 'Waiting for data…';
  const noChange = filter
    ? 'No figure for an hour ago: filtered history is kept by the hour'
    : 'No figure for an hour ago yet';

  return (
    <section className="kpis" aria-labelledby="kpis-heading">
      <h2 id="kpis-heading" className="visually-hidden">
        Key figures
      </h2>
      <ul className="kpi-strip">
        {LABELS.map(([id, label]) => (
          <KpiTile
            key={id}
            label={label}
            value={(values?.get(id) as KpiValue | undefined) ?? null}
            note={note}
            stale={stale}
            trend={trends.get(id)?.trend ?? NONE}
            change={trends.get(id)?.change ?? null}
            noChange={noChange}
          />
        ))}
      </ul>
    </section>
  );
}
