import { useQuery } from '@tanstack/react-query';
import { memo, Suspense, type CSSProperties, useCallback, useDeferredValue, useMemo } from 'react';
import { lazyWithRetry } from '../app/lazy-retry.ts';
import type { FleetEvent } from '../../protocol/api.ts';
import type { ViewFilter } from '../../protocol/live.ts';
import { countParts, rateParts, type RateUnit } from '../format/numbers.ts';
import { displayZone } from '../format/display-zone.ts';
import { formatClock, formatDateTime } from '../format/time.ts';
import {
  LIVE_RANGES,
  navigate,
  withParams,
  type LiveRange,
  type Period,
} from '../app/url-state.ts';
import { eventsQueryOptions } from '../history/api.ts';
import { countGaps, type Series } from '../history/series.ts';
import { useLiveSeries } from '../history/use-live-series.ts';
import { usePeriodSeries } from '../history/use-period-series.ts';
import { useStaleSince } from '../live/use-live.ts';
import { useUrlState } from '../app/use-url-state.ts';
import { statusSelection, trafficKnown } from '../filters/status-view.ts';
import type { ChartLine, ChartRow } from './series-chart.tsx';
import { download } from '../app/download.ts';
import { chartCsv } from './chart-csv.ts';
import { useDrawnRows } from './drawn-rows.ts';
import { useNextTask } from './use-next-task.ts';
import { RangeToggle } from './range-toggle.tsx';
import { timeZoneLabel } from './time-zone.ts';
import { useElementSize } from './use-element-size.ts';

const ONLINE_LINES: ChartLine[] = [
  { key: 'devices', name: 'Devices', color: 'var(--text-muted)', kind: 'line', dashed: true },
  { key: 'online', name: 'Online', color: 'var(--ok)', kind: 'line' },
];
const FLOW_LINES: ChartLine[] = [
  { key: 'bytesInRate', name: 'In (device → cloud)', color: 'var(--ok)', kind: 'area' },
  { key: 'bytesOutRate', name: 'Out (cloud → device)', color: 'var(--series-out)', kind: 'area' },
];
const NO_EVENTS: FleetEvent[] = [];

// Recharts loads in its own chunk: the KPIs do not wait for it; the series is kept meanwhile.
const SeriesChart = lazyWithRetry(() =>
  import('./series-chart.tsx').then((m) => ({ default: m.SeriesChart })),
);
const waiting = <p className="chart__wait">Loading history…</p>;
const Y_AXIS_PX = 80;

function useEvents(scope: string, windowMs: number, end: number | null): FleetEvent[] {
  const { data } = useQuery(eventsQueryOptions(scope, windowMs, end));
  return data?.events ?? NO_EVENTS;
}

const Legend = memo(function Legend({ lines }: { lines: readonly ChartLine[] }) {
  return (
    <ul className="chart-legend">
      {lines.map((l) => (
        <li key={l.key}>
          <span
            className="chart-legend__swatch"
            data-dashed={l.dashed || undefined}
            style={{ '--swatch': l.color } as CSSProperties}
          />
          {l.name}
        </li>
      ))}
    </ul>
  );
});

function seriesAttributes(series: Series | null) {
  return {
    'data-points': series?.points.length ?? 0,
    'data-gaps': series ? countGaps(series) : undefined,
    'data-step-ms': series?.stepMs,
    'data-last-ts': series?.points.at(-1)?.t,
  };
}

/** Online devices and data flow over the last hour, with the incidents in it. */
function LiveChartsView({
  scope,
  units,
  filter,
  range = '1h',
  period = null,
}: {
  scope: string;
  units: RateUnit;
  filter: ViewFilter | null;
  range?: LiveRange;
  /** A past period instead of a live window: history only. */
  period?: Period | null;
}) {
  const windowMs = period ? period.to - period.from : LIVE_RANGES[range].ms;
  const { status } = useUrlState();
  const selection = statusSelection(status);
  // Under a status filter its lines count only those devices ("Devices" is then the offline ones).
  const countTitle = selection ? `Devices, ${status.join(' and ')} only` : 'Online devices';
  // Not the tick: the series has its own store, and the charts redraw when it changes.
  const staleSince = useStaleSince();
  const stale = staleSince !== null;
  const [plotRef, size] = useElementSize<HTMLDivElement>();
  const maxPoints = size && size.width > 0 ? Math.max(60, size.width - Y_AXIS_PX) : null;
  const liveSeries = useLiveSeries(
    scope,
    period ? null : maxPoints,
    filter,
    windowMs,
    'background',
  );
  const past = usePeriodSeries(scope, period, filter, maxPoints);
  // The charts draw in React's background lane: a tick's own commit (KPIs, map) is not held up
  // by two Recharts renders (nor includes this component at all: the live series comes in that
  // lane), and a newer tick supersedes a chart render still under way. The series itself is
  // whole in every snapshot, so a deferred one is only older, never gappy.
  const series = useDeferredValue(period ? past.series : liveSeries);
  const events = useEvents(scope, windowMs, period?.to ?? null);
  const zone = timeZoneLabel();
  const during = period ? 'in this period' : `in the ${LIVE_RANGES[range].label.toLowerCase()}`;

  const rows = (series?.points ?? []) as unknown as readonly ChartRow[];
  const last = series?.points.at(-1);
  const end = period ? period.to : series && last ? last.t + series.stepMs : Date.now();
  // Same window, same array: the charts are memo'd and Recharts compares props by identity.
  const domain = useMemo<[number, number]>(() => [end - windowMs, end], [end, windowMs]);
  const formatRate = useMemo(() => (v: number) => rateParts(v, units), [units]);
  // Drag across a chart: show that stretch from history (one click on "Back to live" returns).
  const zoom = useCallback((lo: number, hi: number) => {
    navigate(
      withParams(window.location.search, {
        range: null,
        from: String(Math.floor(lo)),
        to: String(Math.ceil(hi)),
      }),
    );
  }, []);
  const shown = useMemo(
    () => events.filter((e) => (e.end ?? end) > end - windowMs),
    [events, end, windowMs],
  );
  const chartSize = size ? { width: size.width, height: size.height } : null;
  // Each chart redraws only when its picture changes by half a pixel or more: the tick's bucket
  // mean moves on every tick, but mostly by far less (the CSV and the attributes read `series`).
  const onlineRows = useDrawnRows(rows, ONLINE_LINES, size?.height ?? 0, true);
  const flowRows = useDrawnRows(rows, FLOW_LINES, size?.height ?? 0, false);
  // Both charts change at once when the window moves on a bucket: the second redraws a task
  // later, so that each is a task of its own.
  const flowNow = useMemo(
    () => ({ rows: flowRows, domain, events: shown }),
    [flowRows, domain, shown],
  );
  const flow = useNextTask(flowNow);

  return (
    <section
      className="charts"
      aria-labelledby="charts-heading"
      data-stale={stale || undefined}
      {...seriesAttributes(series)}
    >
      <div className="charts__head">
        <h2 id="charts-heading" className="charts__title">
          {period ? period.label : LIVE_RANGES[range].label}{' '}
          <span className="charts__zone">times in {zone}</span>
          {staleSince !== null ? (
            <span className="charts__stale">stale since {formatClock(staleSince)}</span>
          ) : null}
        </h2>
        <span className="charts__range">
          <RangeToggle live={period === null} />
          <button
            type="button"
            className="charts__csv"
            disabled={!series}
            title="The figures these charts show, one row per bucket, as CSV"
            onClick={() => {
              if (!series) return;
              const timeZone =
                displayZone() ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
              const filters = [
                filter?.tech ? `tech=${filter.tech.join(',')}` : '',
                filter?.class ? `class=${filter.class.join(',')}` : '',
              ]
                .filter(Boolean)
                .join('; ');
              download(
                `meridian-chart-${scope.replace(/[^\w-]+/g, '-')}.csv`,
                chartCsv(series, {
                  scope,
                  filters,
                  range: period
                    ? `${period.label} (${formatDateTime(period.from, timeZone)} – ${formatDateTime(period.to, timeZone)})`
                    : LIVE_RANGES[range].label,
                  timeZone,
                }),
              );
            }}
          >
            Chart CSV
          </button>
        </span>
      </div>
      {period && !past.kept ? (
        <p className="charts__note" role="status">
          {past.note ?? 'History does not keep this filter here.'} No line is drawn rather than a
          wrong one.
        </p>
      ) : period && past.error ? (
        <p className="charts__note" role="status">
          History could not be read: {past.error.message}
        </p>
      ) : null}
      {!trafficKnown(selection) ? (
        <p className="charts__note">
          Data flow is not split between online and degraded devices, so with only one of them
          selected it has no line.
        </p>
      ) : null}
      {filter && !period ? (
        <p className="charts__note">
          Filtered: history keeps filtered figures by the hour only, so these lines start when the
          filter was set.
        </p>
      ) : null}
      <div className="charts__grid">
        <figure className="chart" aria-label={`${countTitle} over the last hour`}>
          <figcaption>
            <span className="chart__title">{countTitle}</span>
            <Legend lines={ONLINE_LINES} />
          </figcaption>
          <div className="chart__plot" ref={plotRef}>
            {chartSize && series ? (
              <Suspense fallback={waiting}>
                <SeriesChart
                  rows={onlineRows}
                  lines={ONLINE_LINES}
                  domain={domain}
                  {...chartSize}
                  events={shown}
                  format={countParts}
                  kind="count"
                  zoneLabel={zone}
                  tightDomain
                  onZoom={zoom}
                  follow={period === null}
                />
              </Suspense>
            ) : (
              waiting
            )}
          </div>
        </figure>
        <figure className="chart" aria-label="Data flow over the last hour">
          <figcaption>
            <span className="chart__title">Data flow</span>
            <Legend lines={FLOW_LINES} />
          </figcaption>
          <div className="chart__plot">
            {chartSize && series ? (
              <Suspense fallback={waiting}>
                <SeriesChart
                  rows={flow.rows}
                  lines={FLOW_LINES}
                  domain={flow.domain}
                  {...chartSize}
                  events={flow.events}
                  format={formatRate}
                  kind={units}
                  zoneLabel={zone}
                  onZoom={zoom}
                  follow={period === null}
                />
              </Suspense>
            ) : (
              waiting
            )}
          </div>
        </figure>
      </div>
      {/* Always there and of one height: a list that came and went with the scope resized the
          row, and with it the map beside the charts (a WebGL resize and a redraw per switch). */}
      {shown.length > 0 ? (
        <ul className="incidents" aria-label={`Incidents ${during}`}>
          {shown.map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <span className="incidents__mark" aria-hidden="true" />
              <strong>{e.title}</strong>{' '}
              <span className="incidents__when">
                {formatClock(e.start)} – {e.end === null ? 'ongoing' : formatClock(e.end)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="incidents incidents--none">No incidents {during}</p>
      )}
    </section>
  );
}

// Memoised: a navigation renders the page at once with the old props here (app.tsx).
export const LiveCharts = memo(LiveChartsView);
