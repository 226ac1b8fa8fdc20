import { Component, memo, Suspense, type ReactNode, useMemo } from 'react';
import { lazyWithRetry } from '../app/lazy-retry.ts';
import { navigate, withParams } from '../app/url-state.ts';
import type { RateUnit } from '../format/numbers.ts';
import { formatClock } from '../format/time.ts';
import { useLive, useStaleSince } from '../live/use-live.ts';
import type { ScopeTree } from '../scopes/scope-tree.ts';
import type { PeriodPlaces } from '../history/use-period-places.ts';
import { periodSites, type PeriodSites } from './period-sites.ts';
import { ONLINE_CLASSES } from './site-features.ts';
import { useBasemap } from './use-basemap.ts';

// A past period whose sites are not known (yet, or not kept): no dots rather than live ones.
const EMPTY_PERIOD: PeriodSites = {
  scope: '',
  sites: { start: 0, count: 0 },
  figures: {
    devices: new Float64Array(0),
    online: new Float64Array(0),
    degraded: new Float64Array(0),
    offline: new Float64Array(0),
    flowRate: new Float64Array(0),
  },
};

// Its own chunk: MapLibre and the world's outlines arrive after the KPIs are on screen.
const WorldMap = lazyWithRetry(() => import('./world-map.tsx'));

class MapErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <p className="world-map__message" role="alert">
          The map cannot be shown here ({this.state.error.message}). The figures above are live.
        </p>
      );
    }
    return this.props.children;
  }
}

// The same on every tick: memoised, as the panel renders once per tick.
const Legend = memo(function Legend({ past }: { past: boolean }) {
  return (
    <div className="map-legend" aria-label="Map legend">
      <p className="map-legend__title">
        Sites, online share{past ? ' (time-weighted over the period)' : ''}
      </p>
      <ul>
        {ONLINE_CLASSES.map((c) => (
          <li key={c.label}>
            <span className="map-legend__dot" style={{ background: c.color }} />
            {c.label}
          </li>
        ))}
        <li>
          <span className="map-legend__dot map-legend__dot--group" />
          group of sites
        </li>
      </ul>
      <p className="map-legend__size">
        <span className="map-legend__ring map-legend__ring--s" />
        <span className="map-legend__ring map-legend__ring--l" />
        area ∝ devices{past ? ' (mean)' : ''}
      </p>
    </div>
  );
});

/**
 * The world map with its legend; turns visibly stale with the rest of the page. In a past
 * period it draws the period's means instead of the live tick.
 */
function MapPanelView({
  tree,
  scope,
  units,
  past = null,
}: {
  tree: ScopeTree;
  scope: string;
  units: RateUnit;
  past?: PeriodPlaces | null;
}) {
  const live = useLive();
  const staleSince = useStaleSince();
  const stale = staleSince !== null && !past;
  const period = useMemo(() => (past?.data ? periodSites(past.data) : null), [past]);
  const basemap = useBasemap();
  const onSelect = (next: string) => navigate(withParams(window.location.search, { scope: next }));
  const loading = <p className="world-map__message">Loading the map…</p>;
  return (
    <section className="world-map" aria-label="Map of sites" data-stale={stale || undefined}>
      <MapErrorBoundary>
        <Suspense fallback={loading}>
          {basemap.pending ? (
            loading
          ) : (
            <WorldMap
              tree={tree}
              scope={scope}
              tick={live.tick}
              units={units}
              basemap={basemap.style}
              onSelect={onSelect}
              period={past ? (period ?? EMPTY_PERIOD) : null}
            />
          )}
        </Suspense>
      </MapErrorBoundary>
      {basemap.problem ? (
        <p className="world-map__problem" role="alert">
          {basemap.problem}
        </p>
      ) : null}
      {past && past.data && !past.data.sites ? (
        <p className="world-map__problem" role="status">
          History keeps sites unfiltered only: no sites are drawn for this filter in the past.
        </p>
      ) : null}
      <Legend past={past !== null} />
      {stale && staleSince !== null ? (
        <p className="world-map__stale" role="status">
          Map stale since {formatClock(staleSince)}
        </p>
      ) : null}
    </section>
  );
}

// Memoised: a navigation renders the page at once with the old props here (app.tsx).
export const MapPanel = memo(MapPanelView);
