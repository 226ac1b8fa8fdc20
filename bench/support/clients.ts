import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/protocol/live.ts';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ReceivedTick {
  seq: number;
  ts: number;
  /** Local receipt time, epoch ms (same machine as the server, so the same clock). */
  at: number;
  text: number;
  binary: number;
}

/** One socket.io client that counts the engine.io bytes it receives for each tick. */
export interface MeteredClient {
  socket: LiveSocket;
  ticks: ReceivedTick[];
  /** Forgets what was received so far (start of a measurement window). */
  reset(): void;
}

function connectOne(url: string, timeoutMs: number): Promise<MeteredClient> {
  const socket: LiveSocket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: timeoutMs,
  });
  let text = 0;
  let binary = 0;
  const client: MeteredClient = {
    socket,
    ticks: [],
    reset() {
      this.ticks = [];
      text = 0;
      binary = 0;
    },
  };
  // Every engine.io message since the previous tick belongs to this one: its text frame and
  // its binary attachment arrive before socket.io emits the reassembled event.
  socket.io.engine.on('packet', (packet) => {
    if (packet.type !== 'message') return;
    const data: unknown = packet.data;
    if (typeof data === 'string')
      text += Buffer.byteLength(data) + 1; // + engine.io type char
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) binary += data.byteLength;
  });
  socket.on('tick', (tick) => {
    client.ticks.push({ seq: tick.seq, ts: tick.ts, at: Date.now(), text, binary });
    text = 0;
    binary = 0;
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Opens `count` clients, `batch` at a time so the server's accept queue is not flooded. */
export async function connectClients(
  url: string,
  count: number,
  batch: number,
  timeoutMs = 15_000,
): Promise<MeteredClient[]> {
  const clients: MeteredClient[] = [];
  try {
    for (let i = 0; i < count; i += batch) {
      const n = Math.min(batch, count - i);
      const opened = await Promise.all(Array.from({ length: n }, () => connectOne(url, timeoutMs)));
      clients.push(...opened);
    }
  } catch (err) {
    closeClients(clients);
    throw err;
  }
  return clients;
}

/** Subscribes client i to scopeOf(i), `batch` at a time; throws on the first refusal. */
export async function subscribeClients(
  clients: readonly MeteredClient[],
  scopeOf: (i: number) => string,
  batch: number,
): Promise<void> {
  for (let i = 0; i < clients.length; i += batch) {
    const acks = await Promise.all(
      clients
        .slice(i, i + batch)
        .map((c, k) =>
          c.socket.timeout(15_000).emitWithAck('subscribe', { scope: scopeOf(i + k) }),
        ),
    );
    const refused = acks.find((a) => !a.ok);
    if (refused && !refused.ok) throw new Error(`subscribe refused: ${refused.error.message}`);
  }
}

export function closeClients(clients: readonly MeteredClient[]): void {
  for (const c of clients) c.socket.close();
}
