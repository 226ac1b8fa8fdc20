import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
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
import { liveView, parsePeriod, parseUrlState } from './url-state.ts';
import { zoneFor } from './zone-toggle.tsx';
import { LaterSearch, useSearch, useUrlState } from './use-url-state.ts';

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

  // The heading, the KPIs and the breakdowns follow a navigation at once; the map, the charts,
  // the children and the devices follow it in React's background lane. So a click on another
  // scope commits its heading at once and its figures as soon as the subscription answers,
  // instead of after a few hundred milliseconds of charts and tables for the new scope (those
  // renders yield, and the tick's update goes first). Until then those parts keep the old view.
  const laterSearch = useDeferredValue(search);
  const later = useMemo(() => parseUrlState(laterSearch), [laterSearch]);
  const laterView = useMemo(() => liveView(later), [later]);
  const laterKey = `${JSON.stringify(laterView)}|${later.status.join(',')}`;
  // The period those parts showed, not one parsed again: a past range ends when it was asked
  // for, and a new end would remount the charts and read their history again.
  const shown = useRef({ search, periodState });
  useEffect(() => {
    // Only once they have caught up: renders in between (a tick's) still owe them the old one.
    if (laterSearch === search) shown.current = { search, periodState };
  });
  const laterPeriod = (
    laterSearch === search
      ? periodState
      : laterSearch === shown.current.search
        ? shown.current.periodState
        : parsePeriod(laterSearch, Date.now())
  ).period;
  const laterPast = usePeriodPlaces(later.scope, laterPeriod, laterView.filter ?? null);
  const laterPastPlaces = laterPeriod ? laterPast : null;
  useTheme(theme, kiosk);
  const tree = useScopeTree();
  const live = useLiveStatus();
  const node = tree.data?.byId.get(scope);
  const laterNode = tree.data?.byId.get(later.scope);
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
            <LaterSearch value={laterSearch}>
              <div className="overview">
                {tree.data ? (
                  <MapPanel
                    tree={tree.data}
                    scope={later.scope}
                    units={later.units}
                    past={laterPastPlaces}
                  />
                ) : (
                  // Holds the map's place so the charts measure their final width.
                  <div className="world-map" aria-hidden="true" />
                )}
                <LiveCharts
                  key={`${laterKey}|${later.range}|${laterPeriod?.from}|${laterPeriod?.to}`}
                  scope={later.scope}
                  units={later.units}
                  filter={laterView.filter ?? null}
                  range={later.range}
                  period={laterPeriod}
                />
              </div>
            </LaterSearch>
            <div className="breakdowns">
              <TechBreakdown past={pastPlaces} />
              <ClassBreakdown past={pastPlaces} />
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
        <LaterSearch value={laterSearch}>
          {tree.data && laterNode ? (
            <ChildScopes
              tree={tree.data}
              node={laterNode}
              units={later.units}
              past={laterPastPlaces}
            />
          ) : null}
          {!unknown && !kiosk ? (
            <DeviceExplorer
              scope={later.scope}
              scopeName={laterNode?.name ?? later.scope}
              tree={tree.data}
              units={later.units}
            />
          ) : null}
        </LaterSearch>
      </main>
      {openDevice && !kiosk ? <DevicePanel id={openDevice} tree={tree.data} units={units} /> : null}
    </div>
  );
}
