// Whole bodies POST /api/v1/ingest must refuse, and count only when the client had the token:
// bytes that are not UTF-8, batches with no record, and anything sent without the token.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResponse } from '../../src/protocol/ingest.ts';
import { counted, rejectedMetric } from '../support/ingest-fuzz-checks.ts';
import { closeSockets, startServer, type RunningServer } from '../support/server.ts';

const TOKEN = 'test-token-bad-bodies-0123';
const MAX_BYTES = 65_536;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    INGEST_TOKEN: TOKEN,
    TICK_MS: '1000',
    TICK_GRACE_MS: '50',
    MAX_MESSAGE_BYTES: String(MAX_BYTES),
  });
});
afterAll(async () => server?.close());
afterEach(() => closeSockets());

type Answer = IngestResponse & { duplicates: number; error?: { code: string; message: string } };

async function post(
  body: string | Buffer,
  type = 'application/json',
  token: string | null = TOKEN,
) {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() as Answer };
}

const meta = (device: string, site = 'fr-paris') =>
  JSON.stringify({ type: 'meta', device, site, tech: 'wifi', class: 'camera' });
/** `text` with the bytes `bad` in place of its `@`. */
const withBytes = (text: string, bad: number[]) => {
  const at = text.indexOf('@');
  return Buffer.concat([
    Buffer.from(text.slice(0, at)),
    Buffer.from(bad),
    Buffer.from(text.slice(at + 1)),
  ]);
};
const deviceStatus = async (id: string) =>
  (await server.app.inject({ url: `/api/v1/devices/${id}` })).statusCode;

describe('HTTP ingest: bodies refused as a whole', () => {
  it('refuses a request without the token with 401 before reading it, whatever its size, and counts nothing', async () => {
    const before = counted(server, 'http');
    const huge = Buffer.alloc(3 * MAX_BYTES, `${meta('nobody-1')}\n`);
    const bodies = [huge, Buffer.from(''), Buffer.from('[]'), withBytes(meta('@x'), [0xff])];
    for (const body of bodies) {
      for (const token of [null, 'wrong-token-0123456789']) {
        for (const type of ['application/json', 'application/x-ndjson']) {
          expect(await post(body, type, token)).toMatchObject({
            status: 401,
            body: { error: { code: 'unauthorized' } },
          });
        }
      }
    }
    // Over the network too: with a content-length over the limit, and streamed without one.
    const url = `${server.url}/api/v1/ingest`;
    const headers = { 'content-type': 'application/x-ndjson' };
    const sized = await fetch(url, { method: 'POST', headers, body: huge });
    expect(sized.status).toBe(401);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 3 * MAX_BYTES) return controller.close();
        sent += 16_384;
        controller.enqueue(huge.subarray(0, 16_384));
      },
    });
    const streamed = await fetch(url, {
      method: 'POST',
      headers,
      body: stream,
      duplex: 'half',
    } as RequestInit).catch((err: Error) => err);
    // The server may answer and close before the client has sent it all.
    if (!(streamed instanceof Error)) expect(streamed.status).toBe(401);

    expect(counted(server, 'http')).toEqual(before);
    expect(await rejectedMetric(server, 'http')).toEqual(before.drops);

    // With the token, the same oversized body is refused with 413 and counted, once.
    expect((await post(huge, 'application/x-ndjson')).status).toBe(413);
    expect(counted(server, 'http').drops).toEqual({ ...before.drops, oversized: 1 });
  });

  it('refuses bytes that are not UTF-8 as malformed instead of decoding them, line by line in NDJSON', async () => {
    const before = counted(server, 'http');
    // Latin-1 é in a site name, a lone 0xff, an overlong '/', a truncated character.
    const sequences = [[0xe9], [0xff], [0xc0, 0xaf], [0xe2, 0x82]];
    for (const [i, bad] of sequences.entries()) {
      const body = withBytes(`[${meta(`latin-${i}`, 'fr-par@is')}]`, bad);
      const res = await post(body);
      expect(res, `bytes ${bad.join(' ')}`).toMatchObject({
        status: 400,
        body: {
          error: { code: 'nothing_accepted' },
          accepted: 0,
          rejected: 1,
          errors: [{ index: 0, reason: 'malformed', message: expect.stringContaining('UTF-8') }],
        },
      });
      expect(await deviceStatus(`latin-${i}`)).toBe(404);
    }

    // NDJSON: only the line that is not UTF-8 is refused, the records around it count.
    const lines = [
      Buffer.from(meta('utf8-a')),
      withBytes(meta('utf8-@'), [0xff]),
      Buffer.from(meta('utf8-c', 'fr-lyon')),
    ];
    const res = await post(
      Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])),
      'application/x-ndjson',
    );
    expect(res).toMatchObject({
      status: 200,
      body: {
        accepted: 2,
        rejected: 1,
        errors: [{ index: 1, reason: 'malformed', message: expect.stringContaining('UTF-8') }],
      },
    });
    expect(await deviceStatus('utf8-a')).toBe(200);
    expect(await deviceStatus('utf8-c')).toBe(200);

    // UTF-8 beyond ASCII is fine: a site name nobody knows places the device under unassigned.
    const zurich = await post(`[${meta('utf8-zurich', 'ch-zürich-设备')}]`);
    expect(zurich).toMatchObject({ status: 200, body: { accepted: 1, rejected: 0 } });

    const after = counted(server, 'http');
    expect(after.drops.malformed - before.drops.malformed).toBe(sequences.length + 1);
    expect(after.accepted - before.accepted).toBe(3);
    expect((await rejectedMetric(server, 'http')).malformed).toBe(after.drops.malformed);
  });

  it('answers a batch with no record in it with 400 and counts it, once, as empty', async () => {
    const before = counted(server, 'http');
    const bodies: [string, string][] = [
      ['', 'application/json'],
      ['', 'application/x-ndjson'],
      ['  \t ', 'application/json'],
      ['\n\r\n\n', 'application/x-ndjson'],
      ['\n\n', 'text/plain'],
      ['[]', 'application/json'],
      [' [ ]\n', 'application/json; charset=utf-8'],
    ];
    for (const [body, type] of bodies) {
      const res = await post(body, type);
      expect(res, `${JSON.stringify(body)} as ${type}`).toEqual({
        status: 400,
        body: {
          error: { code: 'nothing_accepted', message: expect.stringContaining('empty') },
          accepted: 0,
          duplicates: 0,
          rejected: 1,
          errors: [{ index: 0, reason: 'empty', message: expect.stringContaining('empty') }],
        },
      });
    }
    const after = counted(server, 'http');
    expect(after.drops).toEqual({ ...before.drops, empty: before.drops.empty + bodies.length });
    expect((await rejectedMetric(server, 'http')).empty).toBe(after.drops.empty);
  });
});
