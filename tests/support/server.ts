import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { buildServer, type MeridianServer } from '../../src/server/app.ts';
import type { Clock } from '../../src/server/core/clock.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { openSqliteDeviceStore } from '../../src/server/storage/sqlite-device-store.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite-store.ts';
import type { Ack } from '../../src/protocol/envelope.ts';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SubscribeRequest,
  TickPayload,
} from '../../src/protocol/live.ts';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RunningServer extends MeridianServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A real server on a free loopback port, built by the same factory as production, with a real
 * SQLite store in DATA_DIR (a fresh temporary directory unless given; a fresh one is removed
 * on close). Back-fill is off unless BACKFILL_DAYS is given.
 */
export async function startServer(
  env: Record<string, string> = {},
  clock?: Clock,
): Promise<RunningServer> {
  const ownDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'meridian-test-'));
  const config = loadConfig({
    SIM_DEVICES: '5000',
    TICK_MS: '200',
    TICK_GRACE_MS: '20',
    BACKFILL_DAYS: '0',
    ...env,
    DATA_DIR: dataDir,
  });
  const store = openSqliteStore(join(dataDir, 'meridian.db'));
  const devices = openSqliteDeviceStore(join(dataDir, 'devices.db'));
  const server = await buildServer({ config, store, devices, ...(clock ? { clock } : {}) });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    ...server,
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await server.app.close();
      store.close();
      devices.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const sockets: TestSocket[] = [];

export function openSocket(url: string, extraHeaders?: Record<string, string>): TestSocket {
  const socket: TestSocket = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(extraHeaders ? { extraHeaders } : {}),
  });
  sockets.push(socket);
  return socket;
}

export function closeSockets(): void {
  for (const s of sockets.splice(0)) s.close();
}

export function subscribe(
  socket: TestSocket,
  request: SubscribeRequest | unknown,
): Promise<Ack<TickPayload>> {
  return socket.timeout(5000).emitWithAck('subscribe', request as SubscribeRequest);
}

/** Resolves once `predicate` holds, polling every 10 ms; rejects after `ms`. */
export async function waitFor(
  predicate: () => boolean,
  ms = 5000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function collectTicks(socket: TestSocket): TickPayload[] {
  const ticks: TickPayload[] = [];
  socket.on('tick', (t, ack) => {
    ticks.push(t);
    ack?.();
  });
  return ticks;
}
