import { isUtf8 } from 'node:buffer';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ingestRecordSchema, type IngestResponse } from '../../protocol/ingest.ts';
import { fastIngestRecord } from '../ingest/fast-parse.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import { describeIssue, NOT_UTF8 } from '../ingest/parse.ts';
import { ApiError, errorBody } from './errors.ts';

export interface IngestRouteDeps {
  ingest: IngestService | null;
  token: string | null;
  maxBytes: number;
}

/** At most this many per-record errors in an answer; `rejected` still counts them all. */
const MAX_ERRORS = 100;
const TYPES = ['application/json', 'application/x-ndjson', 'application/ndjson', 'text/plain'];
const EMPTY = Buffer.alloc(0);
const EMPTY_BATCH = 'the batch is empty: no record in the body (nothing, blank lines or [])';

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorised(request: FastifyRequest, token: string | null): void {
  if (token === null) {
    throw new ApiError(401, 'unauthorized', 'HTTP ingest is off: the server has no INGEST_TOKEN');
  }
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  // Compared as digests so neither the length nor the content leaks through timing.
  if (!given || !timingSafeEqual(digest(given), digest(token))) {
    throw new ApiError(
      401,
      'unauthorized',
      'missing or wrong ingest token (Authorization: Bearer …)',
    );
  }
}

/**
 * A JSON array, one JSON object, or NDJSON (one record per line). Bytes that are not UTF-8 are
 * not JSON: the whole body when it is one JSON text, only their line when it is NDJSON (so one
 * bad line never holds up the good ones).
 */
function split(body: Buffer, ndjson: boolean): { items: unknown[]; bad: [number, string][] } {
  if (!ndjson) {
    const utf8 = isUtf8(body);
    const multiline = body.includes(0x0a);
    if (utf8) {
      const text = body.toString('utf8');
      if (!text.trim()) return { items: [], bad: [] };
      try {
        const parsed: unknown = JSON.parse(text);
        return { items: Array.isArray(parsed) ? parsed : [parsed], bad: [] };
      } catch (err) {
        // Perhaps NDJSON sent as application/json.
        if (!multiline) return { items: [], bad: [[0, `not JSON: ${(err as Error).message}`]] };
      }
    } else if (!multiline) {
      return { items: [], bad: [[0, `not JSON: ${NOT_UTF8}`]] };
    }
  }
  const items: unknown[] = [];
  const bad: [number, string][] = [];
  // Lines are cut on the byte 0x0a, which is never part of a multi-byte UTF-8 character.
  for (let start = 0; start <= body.length;) {
    const lf = body.indexOf(0x0a, start);
    const end = lf < 0 ? body.length : lf;
    const line = body.subarray(start, end);
    start = end + 1;
    if (!isUtf8(line)) {
      bad.push([items.length, `line is not JSON: ${NOT_UTF8}`]);
      items.push(undefined);
      continue;
    }
    const text = line.toString('utf8');
    if (!text.trim()) continue;
    try {
      items.push(JSON.parse(text));
    } catch (err) {
      bad.push([items.length, `line is not JSON: ${(err as Error).message}`]);
      items.push(undefined);
    }
  }
  return { items, bad };
}

/**
 * POST /api/v1/ingest: a batch of device records (meta, status, telemetry) from a system that
 * is not on MQTT. Each record is checked on its own; the answer says which were not counted
 * and why, and is a 4xx only when nothing was accepted.
 */
export function registerIngestRoutes(app: FastifyInstance, deps: IngestRouteDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // As bytes: a body that is not UTF-8 is refused, not decoded with U+FFFD (see split).
    scope.addContentTypeParser(
      TYPES,
      { parseAs: 'buffer', bodyLimit: deps.maxBytes },
      (_request, body, done) => done(null, body),
    );
    // The token is checked on request, before the body is read (onRequest runs before body
    // parsing and its size limit): a client without it is refused whatever it sends, and
    // nothing it sends, an oversized body included, is counted.
    scope.addHook('onRequest', async (request) => authorised(request, deps.token));
    scope.addHook('onError', async (_request, _reply, error) => {
      if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        deps.ingest?.stats.drop('http', 'oversized', 'POST /api/v1/ingest', error.message);
      }
    });

    scope.post('/api/v1/ingest', { bodyLimit: deps.maxBytes }, async (request, reply) => {
      const ingest = deps.ingest;
      if (!ingest) throw new ApiError(401, 'unauthorized', 'HTTP ingest is off');
      const where = `POST /api/v1/ingest from ${request.ip}`;
      const body = Buffer.isBuffer(request.body) ? request.body : EMPTY;
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
      const { items, bad } = split(body, type.includes('ndjson'));
      const response: IngestResponse & { duplicates: number } = {
        accepted: 0,
        duplicates: 0,
        rejected: 0,
        errors: [],
      };
      const reject = (
        index: number,
        reason: IngestResponse['errors'][number]['reason'],
        message: string,
      ) => {
        response.rejected++;
        if (response.errors.length < MAX_ERRORS) response.errors.push({ index, reason, message });
      };
      const badAt = new Map(bad);
      // A body that is not a batch at all, or holds no record, counts once, as record 0.
      if (items.length === 0 && bad.length) {
        ingest.stats.drop('http', 'malformed', where, bad[0]![1], body);
        reject(0, 'malformed', bad[0]![1]);
      } else if (items.length === 0) {
        ingest.stats.drop('http', 'empty', where, EMPTY_BATCH, body);
        reject(0, 'empty', EMPTY_BATCH);
      }
      items.forEach((item, index) => {
        const malformed = badAt.get(index);
        if (malformed !== undefined) {
          ingest.stats.drop('http', 'malformed', where, malformed);
          return reject(index, 'malformed', malformed);
        }
        // The fast path accepts exactly what the schema does; zod runs only for its error message.
        let record = fastIngestRecord(item);
        if (!record) {
          const parsed = ingestRecordSchema.safeParse(item);
          if (!parsed.success) {
            const message = describeIssue(parsed.error);
            ingest.stats.drop('http', 'invalid', where, message, item);
            return reject(index, 'invalid', message);
          }
          record = parsed.data;
        }
        const result = ingest.engine.handle(record, 'http', where);
        if (!result.ok) return reject(index, result.reason, result.message);
        response.accepted++;
        if (result.duplicate) response.duplicates++;
      });
      if (response.accepted === 0) {
        return reply.status(400).send({
          ...errorBody(
            'nothing_accepted',
            response.errors[0]?.reason === 'empty'
              ? EMPTY_BATCH
              : 'no record was accepted; see errors',
          ),
          ...response,
        });
      }
      return response;
    });
  });
}
