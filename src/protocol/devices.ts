import { z } from 'zod';
import { listOf, timeParamSchema } from './api.ts';
import { DEVICE_PAGE_DEFAULT, DEVICE_PAGE_MAX, DEVICE_SORTS } from './device-list.ts';
import { DEVICE_CLASSES, SOURCES, STATUSES, TECHNOLOGIES } from './dimensions.ts';

export {
  DEVICE_PAGE_DEFAULT,
  DEVICE_PAGE_MAX,
  DEVICE_SORTS,
  type DeviceSort,
} from './device-list.ts';

/**
 * GET /api/v1/devices. The first request (no cursor) takes a snapshot of the scope's devices
 * that match, sorted; `cursor` pages on through that same snapshot, so a device that changes
 * status meanwhile is still listed exactly once. A cursor carries its own query: the other
 * parameters must be left out or repeat the first request's.
 */
export const devicesQuerySchema = z
  .object({
    scope: z.string().min(1).max(100).default('global'),
    tech: listOf(TECHNOLOGIES, 'technology').optional(),
    class: listOf(DEVICE_CLASSES, 'class').optional(),
    status: listOf(STATUSES, 'status').optional(),
    /** Device id prefix, case-sensitive. */
    q: z.string().max(128).optional(),
    sort: z.enum(DEVICE_SORTS).default('status'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(DEVICE_PAGE_MAX).default(DEVICE_PAGE_DEFAULT),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type DevicesQuery = z.infer<typeof devicesQuerySchema>;

export const deviceRowSchema = z.object({
  id: z.string(),
  /** Scope id of the device's site (`site:…`), or null when it could not be placed. */
  site: z.string().nullable(),
  tech: z.enum(TECHNOLOGIES),
  class: z.enum(DEVICE_CLASSES),
  source: z.enum(SOURCES),
  status: z.enum(STATUSES),
  since: z.number().nullable().describe('epoch ms the status began; null if not known'),
  lastSeen: z.number().nullable().describe('epoch ms the device was last heard from'),
  rate: z.number().nullable().describe('bytes/s in + out; a simulated device shows its cell mean'),
});
export type DeviceRow = z.infer<typeof deviceRowSchema>;

export const devicesResponseSchema = z.object({
  snapshot: z.object({
    /** Names this snapshot for GET /api/v1/devices.csv?snapshot=…, while it is pinned. */
    key: z.string(),
    /** When the snapshot was taken (epoch ms); every page of it shows the fleet at that time. */
    at: z.number(),
    expiresAt: z.number(),
    /** Devices that match, over all pages. */
    total: z.number(),
    /** Since when the server has watched statuses: a null `since` began before this. */
    watchedSince: z.number(),
  }),
  sort: z.enum(DEVICE_SORTS),
  order: z.enum(['asc', 'desc']),
  rows: z.array(deviceRowSchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  next: z.string().nullable(),
});
export type DevicesResponse = z.infer<typeof devicesResponseSchema>;

/** GET /api/v1/devices/{id}: one device, with its status changes in [from, to). */
export const deviceQuerySchema = z
  .object({ from: timeParamSchema.optional(), to: timeParamSchema.optional() })
  .strict();

export const deviceResponseSchema = z.object({
  device: deviceRowSchema,
  /** When the registry first saw it (epoch ms); null when it is not registered yet. */
  firstSeen: z.number().nullable(),
  from: z.number(),
  to: z.number(),
  /** Status changes in [from, to), oldest first; `absent` marks a device retired from the fleet. */
  transitions: z.array(z.object({ t: z.number(), status: z.enum([...STATUSES, 'absent']) })),
  /** True when more changes fell in the range than are listed (the latest are kept). */
  truncated: z.boolean(),
  /** Since when the server has watched statuses: a null `since` began before this. */
  watchedSince: z.number(),
  /**
   * A real device's data flow over the last hour (bytes/s in + out per bucket, null where the
   * server had not heard it); null for a simulated device, whose traffic is its cell's.
   */
  traffic: z
    .object({
      stepMs: z.number(),
      t: z.array(z.number()),
      rate: z.array(z.number().nullable()),
    })
    .nullable(),
});
export type DeviceResponse = z.infer<typeof deviceResponseSchema>;

/**
 * GET /api/v1/devices.csv: the whole list as CSV, streamed. `snapshot` exports a pinned list
 * (what a table shows); otherwise the same parameters as GET /api/v1/devices take a new one.
 */
export const devicesExportQuerySchema = devicesQuerySchema
  .omit({ limit: true, cursor: true })
  .extend({
    snapshot: z.string().max(100).optional(),
    /** IANA time zone for the times in the file; default UTC. */
    tz: z.string().max(64).default('UTC'),
  })
  .strict();
