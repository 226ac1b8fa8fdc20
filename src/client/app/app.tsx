import { useEffect, useMemo } from 'react';
import { ClassBreakdown } from '../charts/class-breakdown.tsx';
import { LiveCharts } from '../charts/live-charts.tsx';
import { TechBreakdown } from '../charts/tech-breakdown.tsx';
import { KpiStrip } from '../kpis/kpi-strip.tsx';
import { PeriodKpis } from '../kpis/period-kpis.tsx';
import { MapPanel } from '../map/map-panel.tsx';
import { OfflineBanner } from '../live/offline-banner.tsx';
import { useLiveStatus } from '../live/use-live.ts';
import { ChildScopes } from '../scopes/child-scopes.tsx';
import { DeviceExplorer } from '../devices/device-explorer.tsx';
import { FilterBar } from '../filters/filter-bar.tsx';
import { DevicePanel } from '../devices/device-panel.tsx';
import { parseDeviceView } from '../devices/device-view.ts';
import { ScopeHeading } from '../scopes/scope-heading.tsx';
import { ScopeLink } from '../scopes/scope-link.tsx';
import { useScopeTree } from '../scopes/use-scope-tree.ts';
import { AppHeader } from './app-header.tsx';
import { Problem } from './problem.tsx';
import { useTheme } from './use-theme.ts';
import { usePeriodPlaces } from '../history/use-period-places.ts';
import { setDisplayZone } from '../format/display-zone.ts';
import { liveView, parsePeriod } from './url-state.ts';
import { zoneFor } from './zone-toggle.tsx';
import { useSearch, useUrlState } from './use-url-state.ts';

const SCOPE_ERRORS = new Set(['unknown_scope', 'bad_request', 'invalid_filter']);

export function App() {
  const urlState = useUrlState();
  const { scope, kiosk, units, theme } = urlState;
  // The live view (scope and filter): the charts and tiles start afresh when it changes.
  const view = liveView(urlState);
  // A status filter is applied in the browser, to ticks and history alike (status-view.ts).
  const viewKey = `${JSON.stringify(view)}|${urlState.status.join(',')}`;
  // A past range ends when it was asked for: fixed per address, not moving with the clock.
  const search = useSearch();
  const periodState = useMemo(() => parsePeriod(search, Date.now()), [search]);
  const period = periodState.period;
  const openDevice = parseDeviceView(search).device;
  // A past period's map, breakdowns and children table, read once per period.
  const past = usePeriodPlaces(scope, period, view.filter ?? null);
  const pastPlaces = period ? past : null;
  useTheme(theme, kiosk);
  const tree = useScopeTree();
  const live = useLiveStatus();
  const node = tree.data?.byId.get(scope);
  // Every time on the page is in this zone; a new zone remounts the page below the header.
  const zone = zoneFor(urlState.tz, node);
  setDisplayZone(zone);
  const unknown =
    (tree.data !== undefined && node === undefined) ||
    (live.error !== null && SCOPE_ERRORS.has(live.error.code));

  useEffect(() => {
    document.title = node ? `${node.name} · Meridian` : 'Meridian';
  }, [node]);

  return (
    <div className="app" data-kiosk={kiosk || undefined}>
      <AppHeader scope={scope} tree={tree.data} units={units} theme={theme} tz={urlState.tz} />
      <OfflineBanner />
      <main className="app-main" key={zone ?? 'browser'}>
        <ScopeHeading node={node} tree={tree.data} scope={scope} />
        <FilterBar readOnly={kiosk} />
        {unknown ? (
          <Problem title={`There is no scope “${scope}”`}>
            <p>
              The link may be mistyped or out of date.{' '}
              <ScopeLink scope="global">Go to the world view</ScopeLink>
            </p>
          </Problem>
        ) : (
          <>
            {periodState.problem ? (
              <p className="range-problem" role="status">
                {periodState.problem}
              </p>
            ) : null}
            {period ? (
              <PeriodKpis
                key={`${viewKey}|${period.from}|${period.to}`}
                units={units}
                scope={scope}
                filter={view.filter ?? null}
                period={period}
              />
            ) : (
              <KpiStrip key={viewKey} units={units} scope={scope} filter={view.filter ?? null} />
            )}
            <div className="overview">
              {tree.data ? (
                <MapPanel tree={tree.data} scope={scope} units={units} past={pastPlaces} />
              ) : (
                // Holds the map's place so the charts measure their final width.
                <div className="world-map" aria-hidden="true" />
              )}
              <LiveCharts
                key={`${viewKey}|${urlState.range}|${period?.from}|${period?.to}`}
                scope={scope}
                units={units}
                filter={view.filter ?? null}
                range={urlState.range}
                period={period}
              />
            </div>
            <div className="breakdowns">
              <TechBreakdown units={units} past={pastPlaces} />
              <ClassBreakdown units={units} past={pastPlaces} />
            </div>
          </>
        )}
        {tree.isError ? (
          <Problem title="The list of scopes could not be loaded">
            <p>{tree.error.message}</p>
            <button type="button" onClick={() => void tree.refetch()}>
              Try again
            </button>
          </Problem>
        ) : null}
        {tree.data && node ? (
          <ChildScopes tree={tree.data} node={node} units={units} past={pastPlaces} />
        ) : null}
        {!unknown && !kiosk ? (
          <DeviceExplorer
            scope={scope}
            scopeName={node?.name ?? scope}
            tree={tree.data}
            units={units}
          />
        ) : null}
      </main>
      {openDevice && !kiosk ? <DevicePanel id={openDevice} tree={tree.data} units={units} /> : null}
    </div>
  );
}
