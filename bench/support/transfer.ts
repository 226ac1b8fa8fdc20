// Bytes a page loaded, from its Resource Timing entries. The server sends the built files as
// they are (no compression), so the gzip size of each JS and CSS file is computed here from the
// copy of dist/client the server served, with node:zlib at its default level (6), as Vite's
// build report does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

export interface LoadedResource {
  path: string;
  kind: 'js' | 'css' | 'html' | 'api' | 'socket' | 'other';
  startTime: number;
  responseEnd: number;
  /** Body bytes as sent, and after any content-encoding was undone (Resource Timing). */
  bodyBytes: number;
  decodedBytes: number;
  /** gzip -6 of the served file; null for what is not a file of dist/client. */
  gzipBytes: number | null;
}

function kindOf(path: string): LoadedResource['kind'] {
  if (/\.m?js$/.test(path)) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (path.startsWith('/socket.io/')) return 'socket';
  if (path.startsWith('/api/') || path === '/healthz') return 'api';
  if (path === '/' || path.endsWith('.html')) return 'html';
  return 'other';
}

/** Every resource the page has loaded so far, the document included. */
export async function loadedResources(page: Page, clientDir: string): Promise<LoadedResource[]> {
  const entries = await page.evaluate(() =>
    [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ].map((e) => {
      const r = e as PerformanceResourceTiming;
      return {
        url: r.name,
        startTime: r.startTime,
        responseEnd: r.responseEnd,
        bodyBytes: r.encodedBodySize,
        decodedBytes: r.decodedBodySize,
      };
    }),
  );
  const gzipCache = new Map<string, number | null>();
  const gzipOf = (path: string): number | null => {
    if (!gzipCache.has(path)) {
      const file = path === '/' ? 'index.html' : path.slice(1);
      try {
        gzipCache.set(path, gzipSync(readFileSync(join(clientDir, file))).length);
      } catch {
        gzipCache.set(path, null);
      }
    }
    return gzipCache.get(path) ?? null;
  };
  return entries.map((e) => {
    const path = new URL(e.url).pathname;
    const kind = kindOf(path);
    return {
      path,
      kind,
      startTime: e.startTime,
      responseEnd: e.responseEnd,
      bodyBytes: e.bodyBytes,
      decodedBytes: e.decodedBytes,
      gzipBytes: kind === 'js' || kind === 'css' || kind === 'html' ? gzipOf(path) : null,
    };
  });
}

/** Sums of JS + CSS: files, bytes as sent and gzip, counting each file once. */
export function jsCssTotals(resources: readonly LoadedResource[]): {
  files: string[];
  bodyBytes: number;
  gzipBytes: number;
} {
  const seen = new Map<string, LoadedResource>();
  for (const r of resources) {
    if (r.kind !== 'js' && r.kind !== 'css') continue;
    // A second load of the same file (the map worker) comes from the cache with 0 bytes.
    if ((seen.get(r.path)?.bodyBytes ?? -1) < r.bodyBytes) seen.set(r.path, r);
  }
  const files = [...seen.values()];
  return {
    files: files.map((r) => r.path.replace('/assets/', '')),
    bodyBytes: files.reduce((n, r) => n + r.bodyBytes, 0),
    gzipBytes: files.reduce((n, r) => n + (r.gzipBytes ?? 0), 0),
  };
}
