import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.ts';

/** Serves the built SPA; unknown API paths get a JSON 404, other paths the app's index. */
export async function registerStatic(app: FastifyInstance, dir: string | null): Promise<void> {
  const hasSpa = dir !== null && existsSync(join(dir, 'index.html'));
  if (hasSpa) {
    await app.register(fastifyStatic, {
      root: dir,
      // Files are looked up per request, not listed at start-up: a build written while the
      // server runs has assets with new names, which its index.html already refers to.
      index: 'index.html',
      // The build writes .br and .gz beside each file (vite.config.ts); sent when accepted.
      preCompressed: true,
      // Built assets carry a content hash in their names; index.html must always be fresh.
      setHeaders: (reply, path) => {
        void reply.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // A missing file (say an asset of a newer build) is a 404, never the index as HTML.
    const isFile = /\.[a-z0-9]+$/i.test(path);
    if (path.startsWith('/api/') || path === '/healthz' || request.method !== 'GET' || isFile) {
      return reply.status(404).send(errorBody('not_found', `no route ${request.method} ${path}`));
    }
    if (hasSpa) return reply.sendFile('index.html');
    return reply
      .status(404)
      .type('text/plain')
      .send(
        'The dashboard has not been built: run `npm run build` (or `npm start`, which builds it).',
      );
  });
}
