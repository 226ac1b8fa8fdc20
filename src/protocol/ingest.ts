// What devices, gateways and other systems send to Meridian (docs/ingest.md explains it with
// examples). The same records travel over MQTT (one per message, or many in a gateway batch) and
// over HTTP (POST /api/v1/ingest, a JSON array or NDJSON).
import { z } from 'zod';
import { DEVICE_CLASSES, STATUSES, TECHNOLOGIES } from './dimensions.ts';
import { parseTimeParam } from './api.ts';

/** Device ids: what fits in one MQTT topic level and a URL without escaping. */
export const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const deviceIdSchema = z.string().regex(DEVICE_ID, 'must be 1–128 of A–Z a–z 0–9 . _ : -');

/** The latest instant a Date can hold; a later "time" cannot be stored or even printed. */
const MAX_TIME_MS = 8.64e15;

/** Epoch ms or an ISO 8601 string; optional where the receive time will do. */
const eventTime = z.union([z.number(), z.string()]).transform((raw, ctx) => {
  const ms = typeof raw === 'number' ? raw : parseTimeParam(raw);
  if (ms === null || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIME_MS) {
    ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or ISO 8601' });
    return z.NEVER;
  }
  return ms;
});

const counter = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Where and what a device is. Sent once (retained on MQTT) and again when it changes. */
export const metaBodySchema = z
  .object({
    /** A site id from GET /api/v1/scopes (without `site:`), or coordinates to find the nearest. */
    site: z.string().min(1).max(128).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    tech: z.enum(TECHNOLOGIES),
    class: z.enum(DEVICE_CLASSES),
  })
  .refine((m) => (m.lat === undefined) === (m.lon === undefined), {
    message: 'lat and lon go together',
    path: ['lat'],
  });

/** A device's own word on its status; usable as its MQTT Last Will (`{"status":"offline"}`). */
export const statusBodySchema = z.object({
  status: z.enum(STATUSES),
  ts: eventTime.optional(),
});

/**
 * Running counters since the device booted. Meridian counts the increase since the device's
 * previous report of the same boot; a new boot id or a counter that went down starts again from 0.
 */
export const telemetryBodySchema = z.object({
  boot: z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).transform(String),
  ts: eventTime,
  msgs: counter.default(0),
  bytesIn: counter.default(0),
  bytesOut: counter.default(0),
});

const withDevice = { device: deviceIdSchema };

/** One record with its kind and device: a gateway batch's and HTTP's unit. */
export const ingestRecordSchema = z.discriminatedUnion('type', [
  metaBodySchema.safeExtend({ type: z.literal('meta'), ...withDevice }),
  statusBodySchema.extend({ type: z.literal('status'), ...withDevice }),
  telemetryBodySchema.extend({ type: z.literal('telemetry'), ...withDevice }),
]);

export type MetaBody = z.infer<typeof metaBodySchema>;
export type StatusBody = z.infer<typeof statusBodySchema>;
export type TelemetryBody = z.infer<typeof telemetryBodySchema>;
export type IngestRecord = z.infer<typeof ingestRecordSchema>;

/** Why a record was not counted; /metrics and the logs use these names. */
export const DROP_REASONS = [
  'malformed', // not JSON or not UTF-8, or not an object/array where one is expected
  'invalid', // fails the schema
  'oversized', // larger than the size limit
  'empty', // an HTTP batch with no record in it (no bytes, blank lines only, [])
  'unknown_device', // telemetry or status from a device never described by a meta record
  'too_late', // event time older than the lateness window
  'future', // event time too far ahead of the server's clock
  'duplicate', // already counted (QoS 1 redelivery, HTTP retry, an older boot)
  'unknown_topic', // an MQTT topic outside the scheme
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** POST /api/v1/ingest answer: how many records counted, and why each other one did not. */
export interface IngestResponse {
  accepted: number;
  rejected: number;
  errors: { index: number; reason: DropReason; message: string }[];
}
