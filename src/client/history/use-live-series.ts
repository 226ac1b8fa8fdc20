import { useQuery, useQueryClient } from '@tanstack/react-query';
import { startTransition, useEffect, useState, useSyncExternalStore } from 'react';
import { useUrlState } from '../app/use-url-state.ts';
import { useLiveConnection } from '../live/use-live.ts';
import { CHART_WINDOW_MS, fetchHistory, historyKeys, lastHourQueryOptions } from './api.ts';
import { RECENT_HISTORY, type ViewFilter } from '../../protocol/live.ts';
import { LiveSeriesStore } from './live-series.ts';
import type { Series } from './series.ts';
import { exposeChartSeries } from './debug-hook.ts';

const noSubscribe = () => () => {};
const noSeries = (): Series | null => null;

/** The step a live-only chart uses when history cannot be read: about one point per pixel. */
function fallbackStep(maxPoints: number, windowMs: number): number {
  const raw = windowMs / maxPoints;
  return (
    [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000].find((s) => s >= raw) ??
    300_000
  );
}

/**
 * A store's snapshot, re-rendered in React's background lane (a transition): the tick's own
 * render does not include this part, and a newer snapshot supersedes a render still under way.
 */
function useBackgroundSnapshot<T>(subscribe: (l: () => void) => () => void, get: () => T): T {
  const [value, setValue] = useState(() => get());
  useEffect(() => {
    const update = () => startTransition(() => setValue(() => get()));
    update();
    return subscribe(update);
  }, [subscribe, get]);
  return value;
}

/**
 * The last hour of one scope's chart figures: history read once (about `maxPoints` buckets),
 * then extended by every tick and back-filled after a gap. `maxPoints` is read when the scope
 * changes; a resize does not read history again. In the `background` lane the series follows
 * the ticks after their own render (the charts); else in it (the KPI tiles' trend lines).
 */
export function useLiveSeries(
  scope: string,
  maxPoints: number | null,
  filter: ViewFilter | null = null,
  windowMs: number = CHART_WINDOW_MS,
  lane: 'tick' | 'background' = 'tick',
): Series | null {
  const connection = useLiveConnection();
  const queryClient = useQueryClient();
  const [store, setStore] = useState<{ store: LiveSeriesStore; maxPoints: number } | null>(null);
  // The status filter applies to history as it does to ticks (a new one remounts the charts).
  const { status } = useUrlState();
  const ready = maxPoints !== null;
  // The last hour at one point a minute comes with the subscription's ack: no request of its own.
  const fromAck =
    !filter && maxPoints === RECENT_HISTORY.maxPoints && windowMs === RECENT_HISTORY.windowMs;
  // Unless the ack had none (an older server, or history could not be read there).
  const ackWithout = useSyncExternalStore(connection.subscribe, () => {
    const snap = connection.getSnapshot();
    return snap.tick?.scope === scope && snap.recent === null;
  });

  useEffect(() => {
    if (!ready || maxPoints === null) return;
    const store = new LiveSeriesStore({
      source: connection,
      scope,
      windowMs,
      fallbackStepMs: fallbackStep(maxPoints, windowMs),
      filter,
      seedFromAck: fromAck,
      // History keeps a filtered view by the hour only: the chart shows its live ticks.
      fetchGap: filter
        ? null
        : (range) =>
            queryClient.fetchQuery({
              queryKey: [...historyKeys.all, 'gap', range, status.join(',')],
              queryFn: ({ signal }) => fetchHistory({ ...range, status }, signal),
              staleTime: 0,
              gcTime: 0,
              retry: false,
            }),
    });
    store.start();
    if (filter) store.seedEmpty();
    setStore({ store, maxPoints });
    const unexpose = exposeChartSeries(store.getSnapshot);
    return () => {
      unexpose();
      store.stop();
      setStore(null);
    };
    // maxPoints is deliberately read only when the scope changes (see above); a new filter
    // remounts the charts (their key), so it is read once too.
  }, [connection, queryClient, scope, ready]);

  const history = useQuery({
    ...lastHourQueryOptions(scope, store?.maxPoints ?? 0, windowMs, status),
    enabled: store !== null && !filter && (!fromAck || ackWithout),
  });
  const { data, isError, refetch } = history;
  // History could not be read (the server was away): read it again once the link is back.
  useEffect(() => {
    if (!isError) return;
    let previous = connection.getSnapshot().state;
    return connection.subscribe(() => {
      const state = connection.getSnapshot().state;
      if (state === 'live' && previous !== 'live') void refetch();
      previous = state;
    });
  }, [isError, connection, refetch]);
  useEffect(() => {
    // A filtered view has no history here, but the query's cache may still hold the unfiltered
    // view's answer under the same key: it must not seed the filtered lines.
    if (!store || filter) return;
    if (data) store.store.seed(data, connection.getSnapshot().tickMs ?? 1000);
    else if (isError) store.store.seedEmpty();
  }, [store, data, isError, connection, filter]);

  const subscribe = store?.store.subscribe ?? noSubscribe;
  const get = store?.store.getSnapshot ?? noSeries;
  const background = lane === 'background';
  const now = useSyncExternalStore(
    background ? noSubscribe : subscribe,
    background ? noSeries : get,
  );
  const later = useBackgroundSnapshot(
    background ? subscribe : noSubscribe,
    background ? get : noSeries,
  );
  return background ? later : now;
}
