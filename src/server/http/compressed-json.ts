import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const negotiator = new Negotiator({ supportedValues: ['br', 'gzip', 'identity'] });

/**
 * A JSON answer that never changes while the server runs (the scope tree: 570 kB with the built-in
 * sites), compressed once, off the event loop, when the route is made, then sent as
 * brotli, gzip or as it is, whichever the client accepts. Compressed on every request it was
 * slow to arrive on two busy cores (BENCHMARKS.md, the compression tried on 2026-11-27); this
 * pays once.
 */
export function compressedJson(body: unknown) {
  const json = Buffer.from(JSON.stringify(body));
  // Started at once, in zlib's thread pool: ready long before a page asks. Brotli quality 5
  // (about 20 ms here for the scope tree) is within 1 % of quality 9 (about 190 ms).
  const copies = Promise.all([
    brotli(json, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
      },
    }),
    gzipAsync(json, { level: 9 }),
  ]).then(([br, gz]) => ({ br, gzip: gz }));

  return async (request: FastifyRequest, reply: FastifyReply): Promise<Buffer> => {
    void reply.header('content-type', 'application/json; charset=utf-8');
    void reply.header('vary', 'accept-encoding');
    const accepted = request.headers['accept-encoding'];
    const encoding = accepted ? negotiator.negotiate(accepted) : null;
    if (encoding !== 'br' && encoding !== 'gzip') return json;
    const ready = await copies;
    void reply.header('content-encoding', encoding);
    return ready[encoding];
  };
}
