import { useMemo } from 'react';
import type { ViewFilter } from '../../protocol/live.ts';
import type { Period } from '../app/url-state.ts';
import type { RateUnit } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { usePeriodSeries } from '../history/use-period-series.ts';
import { KpiTile } from './kpi-tile.tsx';
import { pointValue } from './kpi-trend.ts';
import type { KpiId } from './kpi-values.ts';
import { periodValues, summarisePeriod } from './period-summary.ts';

const IDS: readonly KpiId[] = ['devices', 'onlinePct', 'connected', 'flow', 'messages', 'offline'];
const TREND_POINTS = 120;
const NONE: readonly number[] = [];

interface PeriodKpisProps {
  units: RateUnit;
  scope: string;
  filter: ViewFilter | null;
  period: Period;
}

/** The headline figures of a past period, each saying what it summarises. */
export function PeriodKpis({ units, scope, filter, period }: PeriodKpisProps) {
  const { series, kept, note, error, loading } = usePeriodSeries(
    scope,
    period,
    filter,
    TREND_POINTS,
  );
  const summary = useMemo(
    () => (series ? summarisePeriod(series, period.from, period.to) : null),
    [series, period],
  );
  const values = useMemo(
    () => (summary ? new Map(periodValues(summary, units).map((v) => [v.id, v])) : null),
    [summary, units],
  );
  const trends = useMemo(
    () =>
      new Map(
        IDS.map((id) => [id, (series?.points ?? []).map((p) => pointValue(id, p) ?? Number.NaN)]),
      ),
    [series],
  );
  let status: string | null = null;
  if (error) status = `History could not be read: ${error.message}`;
  else if (!kept) status = note ?? 'History does not keep this filter here.';
  else if (loading) status = 'Reading history…';
  else if (!summary) status = 'No data in this period';

  return (
    <section className="kpis" aria-labelledby="kpis-heading">
      <h2 id="kpis-heading" className="kpis__period">
        {period.label}: {formatDateTime(period.from)} – {formatDateTime(period.to)}
        {summary ? (
          <span className="kpis__complete" title="Share of the period covered by data">
            {' '}
            · {(summary.completeness * 100).toFixed(1)} % complete
          </span>
        ) : null}
      </h2>
      <ul className="kpi-strip">
        {IDS.map((id) => {
          const v = values?.get(id) ?? null;
          return (
            <KpiTile
              key={id}
              label={v?.label ?? id}
              value={v}
              note={status}
              stale={false}
              trend={trends.get(id) ?? NONE}
              change={null}
              noChange="Over a past period the tile shows the period, not a change"
              age={false}
            />
          );
        })}
      </ul>
    </section>
  );
}
