import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildServerIfStale } from '../../scripts/build-if-stale.mjs';
import { io } from 'socket.io-client';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the real entry point (the bundle `npm start` runs) with the given environment. */
function runMain(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'meridian-process-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['dist/server/main.mjs'], {
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
  return { child, lines };
}

async function listeningUrl(lines: string[], ms = 20_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const line = lines.find((l) => l.includes('Meridian is listening'));
    if (line) return (JSON.parse(line) as { url: string }).url;
    if (Date.now() > until) throw new Error(`not listening:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  await buildServerIfStale();
});

describe('the server process', () => {
  it('serves healthz and ticks within 5 s of start while back-filling, and exits 0 on SIGTERM', async () => {
    const began = Date.now();
    const { child, lines } = runMain({ SIM_DEVICES: '100000' });
    const url = await listeningUrl(lines);
    const health = await fetch(`${url}healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { history: { backfill: { state: string } } };
    expect(body.history.backfill.state).toBe('running');
    const socket = io(url, { transports: ['websocket'], reconnection: false });
    const ticked = new Promise<{ seq: number }>((resolve) => socket.on('tick', resolve));
    socket.emit('subscribe', { scope: 'global' }, () => {});
    const tick = await ticked;
    const ready = Date.now() - began;
    console.log(`default fleet: listening and ticking ${ready} ms after spawn`);
    expect(tick.seq).toBeGreaterThan(0);
    expect(ready).toBeLessThan(5000); // the contract: healthz and ticks within 5 s
    socket.close();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(lines.some((l) => l.includes('"stopped"') || l.includes('stopped'))).toBe(true);
  });

  it('exits 0 on SIGINT with a client still connected', async () => {
    const { child, lines } = runMain({ SIM_DEVICES: '2000' });
    const url = await listeningUrl(lines);
    const socket = io(url, { transports: ['websocket'], reconnection: false });
    await new Promise((resolve) => socket.on('connect', () => resolve(null)));
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    socket.close();
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const { child, lines } = runMain({ TICK_MS: '333', SIM_DEVICES: 'lots' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const text = lines.join('\n');
    expect(text).toContain('TICK_MS');
    expect(text).toContain('SIM_DEVICES');
  });
});
