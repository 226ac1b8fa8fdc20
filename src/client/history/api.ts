import { queryOptions } from '@tanstack/react-query';
import type { EventsResponse, HistoryResponse } from '../../protocol/api.ts';
import type { DeviceStatus } from '../../protocol/dimensions.ts';
import type { ViewFilter } from '../../protocol/live.ts';
import { fetchJson } from '../app/fetch-json.ts';
import { restrictHistory, statusSelection } from '../filters/status-view.ts';
import { SERIES_METRICS } from './series.ts';

/** The Overview charts show the last hour. */
export const CHART_WINDOW_MS = 60 * 60_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isNumberArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number');

export function isHistoryResponse(body: unknown): body is HistoryResponse {
  if (!isRecord(body) || !isRecord(body.series)) return false;
  const { t, series, completeness, stepMs } = body;
  return (
    typeof stepMs === 'number' &&
    stepMs > 0 &&
    isNumberArray(t) &&
    isNumberArray(completeness) &&
    Object.values(series).every(
      (s) =>
        Array.isArray(s) &&
        s.length === t.length &&
        s.every((x) => x === null || typeof x === 'number'),
    )
  );
}

function isEventsResponse(body: unknown): body is EventsResponse {
  return (
    isRecord(body) &&
    Array.isArray(body.events) &&
    body.events.every(
      (e: unknown) =>
        isRecord(e) &&
        typeof e.id === 'string' &&
        typeof e.start === 'number' &&
        (e.end === null || typeof e.end === 'number') &&
        typeof e.title === 'string',
    )
  );
}

export interface HistoryRange {
  scope: string;
  from: number;
  to: number;
  maxPoints: number;
  /** History keeps one filter dimension: technology or class. */
  filter?: ViewFilter | null;
  /** Statuses kept (empty or absent: all), applied to the answer in the browser. */
  status?: readonly DeviceStatus[];
}

export function historyPath({ scope, from, to, maxPoints, filter }: HistoryRange): string {
  const params = new URLSearchParams({
    scope,
    metrics: SERIES_METRICS.join(','),
    from: String(Math.floor(from)),
    to: String(Math.ceil(to)),
    maxPoints: String(Math.max(1, Math.round(maxPoints))),
  });
  if (filter?.tech) params.set('tech', filter.tech.join(','));
  if (filter?.class) params.set('class', filter.class.join(','));
  return `/api/v1/history?${params.toString()}`;
}

export async function fetchHistory(
  range: HistoryRange,
  signal?: AbortSignal,
): Promise<HistoryResponse> {
  const res = await fetchJson(historyPath(range), isHistoryResponse, signal);
  const selection = statusSelection(range.status ?? []);
  return selection ? restrictHistory(res, selection) : res;
}

export const historyKeys = {
  all: ['history'] as const,
  lastHour: (
    scope: string,
    maxPoints: number,
    windowMs: number,
    status: readonly DeviceStatus[] = [],
  ) => [...historyKeys.all, 'window', scope, maxPoints, windowMs, status.join(',')] as const,
  events: (scope: string, windowMs: number) => ['events', scope, windowMs] as const,
};

/**
 * The last hour of the chart metrics, read once per scope: ticks extend it from then on, so it
 * never goes stale by itself. `maxPoints` is about the chart's width in pixels.
 */
export function lastHourQueryOptions(
  scope: string,
  maxPoints: number,
  windowMs: number = CHART_WINDOW_MS,
  status: readonly DeviceStatus[] = [],
) {
  return queryOptions({
    queryKey: historyKeys.lastHour(scope, maxPoints, windowMs, status),
    queryFn: ({ signal }) => {
      const to = Date.now();
      return fetchHistory({ scope, from: to - windowMs, to, maxPoints, status }, signal);
    },
    staleTime: Infinity,
    gcTime: 0,
  });
}

/** Incidents of the window in the scope (`end: null` while ongoing), refreshed each minute. */
export function eventsQueryOptions(
  scope: string,
  windowMs: number = CHART_WINDOW_MS,
  end: number | null = null,
) {
  return queryOptions({
    queryKey: [...historyKeys.events(scope, windowMs), end] as const,
    queryFn: ({ signal }) => {
      const to = end ?? Date.now();
      const params = new URLSearchParams({
        scope,
        from: String(to - windowMs),
        to: String(to),
      });
      return fetchJson(`/api/v1/events?${params.toString()}`, isEventsResponse, signal);
    },
    refetchInterval: 60_000,
    refetchIntervalInBackground: true,
    staleTime: 30_000,
  });
}

/** A past period's history at about `maxPoints` buckets; it does not change, so it is kept. */
export function periodQueryOptions(range: HistoryRange) {
  return queryOptions({
    queryKey: [...historyKeys.all, 'period', range] as const,
    queryFn: ({ signal }) => fetchHistory(range, signal),
    staleTime: 5 * 60_000,
  });
}
