import { z } from 'zod';
import {
  clientConfigSchema,
  eventsResponseSchema,
  healthResponseSchema,
  historyResponseSchema,
} from '../../protocol/api.ts';
import { ERROR_CODES } from '../../protocol/envelope.ts';
import { DROP_REASONS, ingestRecordSchema } from '../../protocol/ingest.ts';
import {
  DEVICE_PAGE_DEFAULT,
  DEVICE_PAGE_MAX,
  DEVICE_SORTS,
  devicesResponseSchema,
  deviceResponseSchema,
} from '../../protocol/devices.ts';
import { placesResponseSchema } from '../../protocol/places.ts';

const errorSchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }),
});

const scopeNodeSchema = z.object({
  id: z.string(),
  kind: z.enum(['global', 'region', 'country', 'site']),
  name: z.string(),
  parent: z.string().nullable(),
  lat: z.number(),
  lon: z.number(),
  bbox: z.array(z.number()).length(4),
  siteStart: z.number().int(),
  siteCount: z.number().int(),
  timeZone: z.string().optional(),
  population: z.number().optional(),
  country: z.string().optional(),
  unplaced: z.literal(true).optional(),
});

const ingestResponseSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  errors: z
    .array(z.object({ index: z.number().int(), reason: z.enum(DROP_REASONS), message: z.string() }))
    .describe('the first 100 records not counted'),
});

/** JSON Schema of a zod schema: what it returns, or (for request bodies) what it accepts. */
function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): unknown {
  return z.toJSONSchema(s, { target: 'openapi-3.0', io });
}

function json(description: string, s: z.ZodType) {
  return { description, content: { 'application/json': { schema: schema(s) } } };
}

const timeParam = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description: `${description}; epoch milliseconds or ISO 8601`,
  schema: { type: 'string' },
});

const query = (name: string, description: string, s: Record<string, unknown>) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: s,
});

/** The OpenAPI 3 document of the REST API, served at /api/v1/openapi.json. */
export function buildOpenApi(version: string): unknown {
  const error = (d: string) => json(d, errorSchema);
  return {
    openapi: '3.0.3',
    info: {
      title: 'Meridian API',
      version,
      description:
        'History, scopes and events of a Meridian server. Live figures stream over Socket.IO at /socket.io (see src/protocol/live.ts).',
    },
    paths: {
      '/healthz': {
        get: {
          summary: 'Readiness and version',
          responses: { 200: json('Ready', healthResponseSchema) },
        },
      },
      '/api/v1/scopes': {
        get: {
          summary: 'The scope tree in its stable order (global, regions, countries, sites)',
          responses: { 200: json('Scope tree', z.object({ scopes: z.array(scopeNodeSchema) })) },
        },
      },
      '/api/v1/config': {
        get: {
          summary: 'What the browser needs from the server configuration (map style URL)',
          responses: { 200: json('Client configuration', clientConfigSchema) },
        },
      },
      '/api/v1/history': {
        get: {
          summary: 'History of one scope: buckets of a readable step, at most maxPoints',
          description:
            'The resolution follows the range: the smallest readable step that fits in maxPoints, read from the coarsest tier (seconds, minutes, hours, days) that keeps it. Buckets without data are null, never 0. Figures not yet written to disk are included.',
          parameters: [
            {
              name: 'scope',
              in: 'query',
              required: true,
              schema: { type: 'string' },
              example: 'country:FR',
            },
            {
              name: 'metrics',
              in: 'query',
              required: false,
              description: 'Comma-separated; default all',
              schema: { type: 'string' },
              example: 'devices,msgRate',
            },
            timeParam('from', 'Start (default: 1 h before to)'),
            timeParam('to', 'End (default: now)'),
            {
              name: 'maxPoints',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
            },
            {
              name: 'tech',
              in: 'query',
              required: false,
              description: 'Comma-separated technologies (kept down to country, hourly)',
              schema: { type: 'string' },
            },
            {
              name: 'class',
              in: 'query',
              required: false,
              description:
                'Comma-separated device classes (kept down to country, hourly); not with tech',
              schema: { type: 'string' },
            },
          ],
          responses: {
            200: json('Buckets', historyResponseSchema),
            400: error('A parameter is invalid; the message names it'),
            404: error('Unknown scope'),
          },
        },
      },
      '/api/v1/history/places': {
        get: {
          summary: "A past period's figures for the scope's sites, children and breakdowns",
          description:
            'What the live page shows per tick, for a period instead: each count is its mean over the seconds history covers (time-weighted), each rate its mean, coverage the share of the period covered. With tech or class, sites and breakdowns are null (history keeps them unfiltered) and children are filtered down to country.',
          parameters: [
            {
              name: 'scope',
              in: 'query',
              required: true,
              schema: { type: 'string' },
              example: 'region:europe',
            },
            timeParam('from', 'Start of the period'),
            timeParam('to', 'End of the period'),
            {
              name: 'tech',
              in: 'query',
              required: false,
              description: 'Comma-separated technologies',
              schema: { type: 'string' },
            },
            {
              name: 'class',
              in: 'query',
              required: false,
              description: 'Comma-separated device classes; not with tech',
              schema: { type: 'string' },
            },
          ],
          responses: {
            200: json('Figures per place', placesResponseSchema),
            400: error('A parameter is invalid; the message names it'),
            404: error('Unknown scope'),
          },
        },
      },
      '/api/v1/ingest': {
        post: {
          summary: 'Device records from systems not on MQTT (see docs/ingest.md)',
          description:
            'A JSON array of records, one record, or NDJSON (application/x-ndjson). Authorization: Bearer INGEST_TOKEN. Each record is checked on its own; the answer lists the ones not counted and why, and is 400 only when none was accepted. Retried records count once.',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: schema(z.array(ingestRecordSchema), 'input') },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
          responses: {
            200: json('Some records counted', ingestResponseSchema),
            400: json('Nothing counted', ingestResponseSchema.extend(errorSchema.shape)),
            401: error('Missing or wrong token, or HTTP ingest is off'),
            413: error('Body over MAX_MESSAGE_BYTES'),
          },
        },
      },
      '/api/v1/devices': {
        get: {
          summary: 'Devices of a scope, filtered, sorted and paged over a pinned snapshot',
          description:
            "The first request (without cursor) takes a snapshot of the matching devices as they are now; `next` pages through that same snapshot, so every device is listed exactly once even while statuses change. A snapshot stays for 5 minutes after its last page was read; then its cursors answer 410. With a cursor, the other parameters may be left out; given, they must repeat the first request's.",
          parameters: [
            query('scope', 'Scope id', { type: 'string', default: 'global' }),
            query('tech', 'Comma-separated technologies', { type: 'string' }),
            query('class', 'Comma-separated device classes', { type: 'string' }),
            query('status', 'Comma-separated: online, degraded, offline', { type: 'string' }),
            query('q', 'Device id prefix', { type: 'string' }),
            query(
              'sort',
              'status: offline first, then degraded, then online, each longest in it first',
              { type: 'string', enum: [...DEVICE_SORTS], default: 'status' },
            ),
            query('order', 'asc or desc', {
              type: 'string',
              enum: ['asc', 'desc'],
              default: 'asc',
            }),
            query('limit', 'Rows per page', {
              type: 'integer',
              minimum: 1,
              maximum: DEVICE_PAGE_MAX,
              default: DEVICE_PAGE_DEFAULT,
            }),
            query('cursor', 'The `next` of the previous page', { type: 'string' }),
          ],
          responses: {
            200: json('A page of devices', devicesResponseSchema),
            400: error('A parameter or the cursor is invalid; the message names it'),
            404: error('Unknown scope'),
            410: error("The cursor's snapshot has expired (code cursor_expired): start again"),
          },
        },
      },
      '/api/v1/devices.csv': {
        get: {
          summary: 'The whole device list as CSV, streamed',
          description:
            'With `snapshot` (the `snapshot.key` of a GET /api/v1/devices answer) it exports exactly that pinned list; otherwise it takes a new one from the same parameters as GET /api/v1/devices. Lines starting with # say the scope, filters, sort, time and time zone. X-Total-Rows gives the number of devices, for progress.',
          parameters: [
            query('snapshot', 'A pinned list to export', { type: 'string' }),
            query('tz', 'IANA time zone of the times in the file', {
              type: 'string',
              default: 'UTC',
            }),
            query('scope', 'As for /api/v1/devices', { type: 'string', default: 'global' }),
            query('tech', 'As for /api/v1/devices', { type: 'string' }),
            query('class', 'As for /api/v1/devices', { type: 'string' }),
            query('status', 'As for /api/v1/devices', { type: 'string' }),
            query('q', 'As for /api/v1/devices', { type: 'string' }),
            query('sort', 'As for /api/v1/devices', { type: 'string', enum: [...DEVICE_SORTS] }),
            query('order', 'asc or desc', { type: 'string', enum: ['asc', 'desc'] }),
          ],
          responses: {
            200: { description: 'CSV (RFC 4180) with # header lines', content: { 'text/csv': {} } },
            400: error('A parameter is invalid; the message names it'),
            404: error('Unknown scope'),
            410: error('The snapshot has expired (code cursor_expired)'),
          },
        },
      },
      '/api/v1/devices/{id}': {
        get: {
          summary: 'One device now, with its status changes in a time range',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            timeParam('from', 'Start of the status changes (default: 24 h before to)'),
            timeParam('to', 'End (default: now)'),
          ],
          responses: {
            200: json('The device', deviceResponseSchema),
            400: error('A parameter is invalid; the message names it'),
            404: error('No source has this device now'),
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics: ingest, ticks, store writes, clients, event loop',
          responses: {
            200: { description: 'Prometheus text format', content: { 'text/plain': {} } },
          },
        },
      },
      '/api/v1/events': {
        get: {
          summary: 'Incidents and other events touching a scope in a time range',
          parameters: [
            {
              name: 'scope',
              in: 'query',
              required: false,
              schema: { type: 'string', default: 'global' },
            },
            timeParam('from', 'Start (default: 24 h before to)'),
            timeParam('to', 'End (default: now)'),
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
            },
          ],
          responses: {
            200: json('Events, oldest first', eventsResponseSchema),
            400: error('A parameter is invalid; the message names it'),
            404: error('Unknown scope'),
          },
        },
      },
    },
  };
}
