import { z } from 'zod';
import { DEVICE_CLASSES, TECHNOLOGIES } from './dimensions.ts';
import type { ErrorBody } from './envelope.ts';
import { METRICS } from './metrics.ts';
import { parseTimeParam } from './time-param.ts';

/** Body of every API error response. */
export interface ApiErrorResponse {
  error: ErrorBody;
}

export { parseTimeParam };

export const timeParamSchema = z.string().transform((raw, ctx) => {
  const ms = parseTimeParam(raw);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO 8601 time' });
    return z.NEVER;
  }
  return ms;
});

export const eventsQuerySchema = z
  .object({
    scope: z.string().min(1).max(100).default('global'),
    from: timeParamSchema.optional(),
    to: timeParamSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const EVENT_KINDS = ['outage', 'degradation', 'firmware'] as const;

export const fleetEventSchema = z.object({
  id: z.string(),
  kind: z.enum(EVENT_KINDS),
  scope: z.string(),
  start: z.number().describe('epoch ms'),
  end: z.number().nullable().describe('epoch ms; null while ongoing'),
  title: z.string(),
  description: z.string(),
  simulated: z.boolean(),
});
export type FleetEvent = z.infer<typeof fleetEventSchema>;

export const eventsResponseSchema = z.object({
  scope: z.string(),
  from: z.number(),
  to: z.number(),
  events: z.array(fleetEventSchema),
});
export type EventsResponse = z.infer<typeof eventsResponseSchema>;

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'starting']),
  version: z.string(),
  startedAt: z.number(),
  uptimeS: z.number(),
  tickMs: z.number(),
  lastTick: z.object({ seq: z.number(), ts: z.number(), durationMs: z.number() }).nullable(),
  fleet: z.object({ devices: z.number(), sites: z.number(), simulated: z.boolean() }),
  clients: z.number(),
  history: z.object({
    backfill: z.object({
      state: z.enum(['idle', 'running', 'done', 'failed']),
      progress: z.number().describe('0..1'),
      from: z.number().nullable(),
      to: z.number().nullable(),
      seconds: z.number(),
    }),
    storeBytes: z.number(),
    rowsWritten: z.number(),
    lastFlushMs: z.number(),
    transitionsWritten: z.number(),
  }),
  /** Real sources (MQTT, HTTP); null when none is configured. */
  ingest: z
    .object({
      devices: z.number(),
      accepted: z.object({ mqtt: z.number(), http: z.number() }),
      duplicates: z.object({ mqtt: z.number(), http: z.number() }),
      dropped: z.number(),
      mqtt: z
        .object({
          url: z.string(),
          connected: z.boolean(),
          subscribed: z.boolean(),
          since: z.number(),
          reconnects: z.number(),
          lastError: z.string().nullable(),
        })
        .nullable(),
      http: z.boolean(),
    })
    .nullable(),
  memory: z.object({
    rssMB: z.number(),
    heapUsedMB: z.number(),
    externalMB: z.number(),
    arrayBuffersMB: z.number(),
  }),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** A comma-separated list of enum values (`tech=lorawan,wifi`). */
export const listOf = <T extends readonly [string, ...string[]]>(values: T, name: string) =>
  z
    .string()
    .transform((raw) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(values, { error: () => `each ${name} must be one of ${values.join(', ')}` }))
        .min(1),
    );

export const historyQuerySchema = z
  .object({
    scope: z.string().min(1).max(100),
    metrics: listOf(METRICS, 'metric').optional(),
    from: timeParamSchema.optional(),
    to: timeParamSchema.optional(),
    maxPoints: z.coerce.number().int().min(1).max(10_000).default(1000),
    tech: listOf(TECHNOLOGIES, 'technology').optional(),
    class: listOf(DEVICE_CLASSES, 'class').optional(),
  })
  .strict();
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

const metricArrays = z.partialRecord(z.enum(METRICS), z.array(z.number().nullable()));

export const historyResponseSchema = z.object({
  scope: z.string(),
  from: z.number(),
  to: z.number(),
  stepMs: z.number(),
  /** Resolution the figures were read from: sec, min, hour or day. */
  tier: z.enum(['sec', 'min', 'hour', 'day']),
  t: z.array(z.number()).describe('start of each bucket, epoch ms'),
  series: metricArrays.describe(
    'per metric: the mean over the covered part of each bucket; null where no data',
  ),
  min: metricArrays.optional(),
  max: metricArrays.optional(),
  completeness: z.array(z.number()).describe('share of each bucket (up to now) covered by data'),
  filter: z
    .object({ tech: z.array(z.string()).optional(), class: z.array(z.string()).optional() })
    .nullable(),
  /** False when history is not kept for this scope and filter (e.g. a site by technology). */
  kept: z.boolean(),
  note: z.string().optional(),
});
export type HistoryResponse = z.infer<typeof historyResponseSchema>;

/** GET /api/v1/config: what the browser needs from the server's configuration. */
export const clientConfigSchema = z.object({
  /** A MapLibre style JSON to draw under the sites, or null for the offline basemap. */
  mapStyleUrl: z.string().nullable(),
});
export type ClientConfig = z.infer<typeof clientConfigSchema>;
