import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.ts';

/** Serves the built SPA; unknown API paths get a JSON 404, other paths the app's index. */
export async function registerStatic(app: FastifyInstance, dir: string | null): Promise<void> {
  const hasSpa = dir !== null && existsSync(join(dir, 'index.html'));
  if (hasSpa) {
    await app.register(fastifyStatic, {
      root: dir,
      wildcard: false,
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
    const isFile = /\.[a-z0-9]+$/i.test(path);
    // The files' routes are made at start-up: a build written while the server runs has assets
    // with new names, which its index.html already refers to.
    const built = hasSpa && isFile && request.method === 'GET' ? builtFile(dir, path) : null;
    if (built !== null) return reply.sendFile(built);
    // A missing file (an asset of a build not there) is a 404, never the index as HTML.
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

/** `path` (a URL path) as a file inside `root` that exists now, relative to it; else null. */
function builtFile(root: string, path: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(path).replace(/^\/+/, '');
  } catch {
    return null; // malformed escapes
  }
  const base = resolve(root);
  const full = resolve(base, rel);
  if (!full.startsWith(base + sep)) return null;
  try {
    return statSync(full).isFile() ? rel : null;
  } catch {
    return null;
  }
}
