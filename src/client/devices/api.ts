import { infiniteQueryOptions } from '@tanstack/react-query';
import type { DeviceResponse, DevicesResponse } from '../../protocol/devices.ts';
import { fetchJson } from '../app/fetch-json.ts';
import type { DeviceView } from './device-view.ts';

/** Rows fetched per request: a few screens of the table. */
export const DEVICE_PAGE = 500;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isRow(r: unknown): boolean {
  return (
    isRecord(r) &&
    typeof r.id === 'string' &&
    (r.site === null || typeof r.site === 'string') &&
    typeof r.tech === 'string' &&
    typeof r.class === 'string' &&
    typeof r.status === 'string' &&
    (r.since === null || typeof r.since === 'number') &&
    (r.lastSeen === null || typeof r.lastSeen === 'number') &&
    (r.rate === null || typeof r.rate === 'number')
  );
}

function isDevicesResponse(body: unknown): body is DevicesResponse {
  return (
    isRecord(body) &&
    isRecord(body.snapshot) &&
    typeof body.snapshot.total === 'number' &&
    typeof body.snapshot.at === 'number' &&
    Array.isArray(body.rows) &&
    body.rows.every(isRow) &&
    (body.next === null || typeof body.next === 'string')
  );
}

function isDeviceResponse(body: unknown): body is DeviceResponse {
  return (
    isRecord(body) &&
    isRow(body.device) &&
    Array.isArray(body.transitions) &&
    typeof body.from === 'number' &&
    typeof body.to === 'number' &&
    (body.traffic === null ||
      (isRecord(body.traffic) &&
        typeof body.traffic.stepMs === 'number' &&
        Array.isArray(body.traffic.t) &&
        Array.isArray(body.traffic.rate)))
  );
}

export function devicesPath(scope: string, view: DeviceView, cursor: string | null): string {
  const p = new URLSearchParams({ limit: String(DEVICE_PAGE) });
  if (cursor) p.set('cursor', cursor);
  else {
    p.set('scope', scope);
    if (view.tech.length) p.set('tech', view.tech.join(','));
    if (view.cls.length) p.set('class', view.cls.join(','));
    if (view.status.length) p.set('status', view.status.join(','));
    if (view.q) p.set('q', view.q);
    p.set('sort', view.sort);
    p.set('order', view.order);
  }
  return `/api/v1/devices?${p.toString()}`;
}

export const deviceKeys = {
  all: ['devices'] as const,
  list: (scope: string, v: DeviceView) =>
    [
      'devices',
      'list',
      scope,
      v.tech.join(','),
      v.cls.join(','),
      v.status.join(','),
      v.q,
      v.sort,
      v.order,
    ] as const,
  one: (id: string) => ['devices', 'one', id] as const,
};

/**
 * The device list of a scope, page by page through one server-side snapshot. It never goes
 * stale by itself: the table says when its snapshot was taken and offers a refresh.
 */
export function devicesQueryOptions(scope: string, view: DeviceView) {
  return infiniteQueryOptions({
    queryKey: deviceKeys.list(scope, view),
    queryFn: ({ pageParam, signal }) =>
      fetchJson(devicesPath(scope, view, pageParam), isDevicesResponse, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: (count, error) => count < 2 && !('status' in error && error.status === 410),
  });
}

/** One device and its status changes over the last 24 hours. */
export function deviceQueryOptions(id: string) {
  return {
    queryKey: deviceKeys.one(id),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      fetchJson(`/api/v1/devices/${encodeURIComponent(id)}`, isDeviceResponse, signal),
    refetchInterval: 10_000,
  };
}
