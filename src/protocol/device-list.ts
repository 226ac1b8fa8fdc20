// What the device list's client and server agree on, without zod (the SPA imports this).

/** Columns the device list can be sorted by. */
export const DEVICE_SORTS = [
  'status',
  'id',
  'site',
  'tech',
  'class',
  'since',
  'lastSeen',
  'rate',
] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

/** Rows per page: the default and the most a request may ask for. */
export const DEVICE_PAGE_DEFAULT = 100;
export const DEVICE_PAGE_MAX = 1000;

/** How long a list's pages stay pinned after the last one was read. */
export const DEVICE_SNAPSHOT_TTL_MS = 5 * 60_000;
