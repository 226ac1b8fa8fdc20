import { z } from 'zod';
import type { HistoryResponse } from './api.ts';
import { DEVICE_CLASSES, TECHNOLOGIES, type DeviceClass, type Technology } from './dimensions.ts';
import type { Ack } from './envelope.ts';
import type { Kpis } from './metrics.ts';

/** Filter of a view: only devices of these technologies and/or classes. */
export const viewFilterSchema = z
  .object({
    tech: z.array(z.enum(TECHNOLOGIES)).min(1).max(TECHNOLOGIES.length).optional(),
    class: z.array(z.enum(DEVICE_CLASSES)).min(1).max(DEVICE_CLASSES.length).optional(),
  })
  .strict();
export type ViewFilter = z.infer<typeof viewFilterSchema>;

export const subscribeRequestSchema = z
  .object({
    scope: z.string().min(1).max(100),
    filter: viewFilterSchema.optional(),
    /**
     * Flow control. When true the client acknowledges every `tick` (its ack callback) and the
     * server sends the next tick only once the previous one is acknowledged — always the newest,
     * so a slow link never builds a backlog. Without it ticks are sent as volatile events: a
     * tick is skipped while the connection is still busy, but what the operating system has
     * already buffered is still delivered late.
     */
    ackTicks: z.boolean().optional(),
  })
  .strict();
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

/** Per-site figures of a tick; decode `data` with `decodeSiteFigures(data, count)`. */
export interface TickSites {
  /** Index of the first site in the scope tree's site order. */
  start: number;
  count: number;
  data: ArrayBuffer | Uint8Array;
}

export interface TickPayload {
  /** floor(ts / tickMs): never goes backwards across restarts; a jump of more than one is a gap. */
  seq: number;
  /** End of the period this tick covers, epoch ms. */
  ts: number;
  tickMs: number;
  scope: string;
  filter: ViewFilter | null;
  kpis: Kpis;
  breakdown: {
    tech: Partial<Record<Technology, Kpis>>;
    class: Partial<Record<DeviceClass, Kpis>>;
  };
  sites: TickSites;
  /** True when any figure comes from the built-in simulator. */
  simulated: boolean;
  /** True when real sources (MQTT, HTTP) feed the figures too (with `simulated`: a mix). */
  real?: boolean;
  /**
   * Share (0..1) of the server's history back-fill written so far, present only while it runs:
   * history from before the server started is still being written, so a chart's empty past
   * buckets may yet fill and are worth reading again.
   */
  backfill?: number;
}

/**
 * The stretch of history a subscription's ack carries: the view's last hour, one bucket a
 * minute, of SERIES_METRICS. A page draws its trend lines and "an hour ago" figures from it
 * with the first tick, instead of waiting for a history request after the switch.
 */
// An hour that does not start on the minute touches 61 minute buckets: 60 would read 2-minute ones.
export const RECENT_HISTORY = { windowMs: 3_600_000, maxPoints: 61 } as const;

/** The ack's tick. */
export interface SubscribedTick extends TickPayload {
  /**
   * RECENT_HISTORY of the view up to the ack, as `GET /api/v1/history` answers it. Absent for
   * a filtered view (history keeps those by the hour) or when history could not be read.
   */
  recent?: HistoryResponse;
}

export interface Hello {
  version: string;
  tickMs: number;
  /** Server clock at connect, epoch ms; clients measure staleness with their own clock. */
  serverTime: number;
}

export interface ServerToClientEvents {
  hello: (hello: Hello) => void;
  /** The ack exists only for sockets that subscribed with `ackTicks: true`. */
  tick: (tick: TickPayload, ack?: () => void) => void;
}

export interface ClientToServerEvents {
  /**
   * Watch one view; replaces the socket's previous view. The ack carries the latest tick and
   * the view's recent history.
   */
  subscribe: (request: SubscribeRequest, ack: (result: Ack<SubscribedTick>) => void) => void;
}
