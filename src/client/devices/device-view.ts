// The device explorer's part of the URL: ?status=offline&q=sim-12&sort=since&order=asc&device=…
import { DEVICE_SORTS, type DeviceSort } from '../../protocol/device-list.ts';
import type { DeviceClass, DeviceStatus, Technology } from '../../protocol/dimensions.ts';
import { parseUrlState } from '../app/url-state.ts';

export interface DeviceView {
  /** The page's technology and class filters; empty = all. */
  tech: Technology[];
  cls: DeviceClass[];
  /** Statuses shown; empty = all. */
  status: DeviceStatus[];
  /** Device id prefix. */
  q: string;
  sort: DeviceSort;
  order: 'asc' | 'desc';
  /** The device whose panel is open. */
  device: string | null;
}

export const DEFAULT_SORT: DeviceSort = 'status';

export function parseDeviceView(search: string): DeviceView {
  const p = new URLSearchParams(search);
  const sort = p.get('sort');
  const { tech, cls, status } = parseUrlState(search);
  return {
    tech,
    cls,
    status,
    q: (p.get('q') ?? '').trim().slice(0, 128),
    sort: (DEVICE_SORTS as readonly string[]).includes(sort ?? '')
      ? (sort as DeviceSort)
      : DEFAULT_SORT,
    order: p.get('order') === 'desc' ? 'desc' : 'asc',
    device: p.get('device')?.trim() || null,
  };
}

/** The URL changes that set one sort: a second click on the sorted column flips its order. */
export function sortChange(view: DeviceView, sort: DeviceSort): Record<string, string | null> {
  const order = view.sort === sort && view.order === 'asc' ? 'desc' : 'asc';
  return {
    sort: sort === DEFAULT_SORT && order === 'asc' ? null : sort,
    order: order === 'asc' ? null : order,
  };
}

/** "Offline longest first": offline devices only, the earliest to go offline at the top. */
export const OFFLINE_LONGEST: Record<string, string | null> = {
  status: 'offline',
  sort: 'since',
  order: null,
};
