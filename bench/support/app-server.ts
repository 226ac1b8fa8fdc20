// The real server and the production SPA for the client benchmarks, as `npm start` runs them,
// but from a private copy of dist/: others rebuild dist/ in this working tree (Vite empties it
// first), and a page that loads a lazy chunk while that happens gets a 404 instead of its map.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HealthResponse } from '../../src/protocol/api.ts';
import { buildIfStale, buildServerIfStale } from '../../scripts/build-if-stale.mjs';
import { waitForListening } from '../../tests/support/server-process.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface AppServer {
  url: string;
  /** The copy of dist/client the server serves (for gzip sizes of exactly what it sent). */
  clientDir: string;
  lines: string[];
  health(): Promise<HealthResponse>;
  stop(): Promise<void>;
}

const running = new Set<{ child: ChildProcess; dir: string }>();
// Whatever happens to this process, its server and its copy do not outlive it.
process.on('exit', () => {
  for (const r of running) {
    r.child.kill('SIGKILL');
    rmSync(r.dir, { recursive: true, force: true });
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

/** Asset names that index.html and the built scripts refer to (lazy chunks, the map worker). */
function referencedAssets(clientDir: string): string[] {
  const assets = join(clientDir, 'assets');
  const texts = [readFileSync(join(clientDir, 'index.html'), 'utf8')];
  for (const f of readdirSync(assets)) {
    if (/\.(m?js|css)$/.test(f)) texts.push(readFileSync(join(assets, f), 'utf8'));
  }
  const names = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(/assets\/([\w.-]+\.(?:m?js|css))/g)) names.add(m[1]!);
    // Chunks import each other by relative name: "./world-map-abc123.js".
    for (const m of t.matchAll(/["'`]\.\/([\w.-]+-[\w-]{8}\.(?:m?js|css))["'`]/g)) names.add(m[1]!);
  }
  return [...names];
}

/** Copies dist/ until the copy is whole, i.e. no build ran meanwhile. */
function snapshotDist(dir: string, clientFrom: string): void {
  for (let attempt = 0; ; attempt++) {
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    try {
      cpSync(clientFrom, join(dir, 'dist/client'), { recursive: true });
      cpSync(join(root, 'dist/server/main.mjs'), join(dir, 'dist/server/main.mjs'));
      const clientDir = join(dir, 'dist/client');
      const missing = referencedAssets(clientDir).filter(
        (name) => !existsSync(join(clientDir, 'assets', name)),
      );
      if (missing.length === 0) return;
      if (attempt >= 10) throw new Error(`dist/ stays incomplete: ${missing.join(', ')}`);
    } catch (err) {
      if (attempt >= 10) throw err;
    }
    // Someone is building: wait for the build to finish.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
  }
}

/**
 * Builds the SPA and the server bundle if a source is newer (as `npm start` does), copies them
 * to a temp directory and runs the server from there on a free loopback port, with its data in
 * that directory too. The child and the directory never outlive this process.
 */
export async function startAppServer(
  env: Record<string, string>,
  options: { timeoutMs?: number; clientDist?: string } = {},
): Promise<AppServer> {
  const { timeoutMs = 60_000, clientDist } = options;
  // clientDist: another build of the SPA to serve, e.g. to compare a change (not built here).
  if (!clientDist) buildIfStale();
  await buildServerIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-client-'));
  // The server bundle keeps its packages external: resolve them from the project.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  snapshotDist(dir, clientDist ?? join(root, 'dist/client'));
  const child = spawn(process.execPath, [join(dir, 'dist/server/main.mjs')], {
    cwd: dir,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATA_DIR: join(dir, 'data'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry = { child, dir };
  running.add(entry);
  const { url, lines } = await waitForListening(child, timeoutMs);
  const base = url;
  return {
    url: base,
    clientDir: join(dir, 'dist/client'),
    lines,
    async health() {
      return (await (await fetch(`${base}healthz`)).json()) as HealthResponse;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(entry);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the server's history back-fill is done (or failed, or `capMs` passed): while it
 * runs it takes a core of this 2-core machine and blocks its event loop for up to 2 s at a time.
 */
export async function waitForBackfill(
  server: AppServer,
  capMs: number,
): Promise<{ state: string; ms: number }> {
  const began = performance.now();
  for (;;) {
    const { state } = (await server.health()).history.backfill;
    const ms = performance.now() - began;
    if (state === 'done' || state === 'failed' || ms > capMs) {
      return { state, ms };
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
