// For component tests: a stand-in for the Socket.IO client socket that LiveConnection drives
// through its `createSocket` option, so a test plays the server (ticks, hello) synchronously,
// under fake timers, without a network. Not imported by the app.
import type { Ack } from '../../protocol/envelope.ts';
import type { Kpis } from '../../protocol/metrics.ts';
import { emptyKpis } from '../../protocol/metrics.ts';
import type { SubscribeRequest, TickPayload } from '../../protocol/live.ts';
import type { LiveSocket } from './connection.ts';

type Handler = (...args: unknown[]) => void;

export class FakeLiveSocket {
  connected = false;
  readonly active = true;
  readonly requests: SubscribeRequest[] = [];
  /** What the "server" answers to `subscribe`; by default it has no tick yet. */
  reply: (request: SubscribeRequest) => Ack<TickPayload> = () => ({
    ok: false,
    error: { code: 'not_ready', message: 'no tick yet' },
  });
  readonly io = { reconnectionDelay: () => 1000, reconnectionDelayMax: () => 10_000 };
  private readonly handlers = new Map<string, Set<Handler>>();

  on(event: string, handler: Handler): this {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return this;
  }

  off(): this {
    this.handlers.clear();
    return this;
  }

  connect(): this {
    if (this.connected) return this;
    this.connected = true;
    this.serverEmit('connect');
    return this;
  }

  disconnect(): this {
    if (!this.connected) return this;
    this.connected = false;
    this.serverEmit('disconnect', 'io client disconnect');
    return this;
  }

  timeout(): { emit: (event: string, request: SubscribeRequest, ack: Handler) => void } {
    return {
      emit: (event, request, ack) => {
        if (event !== 'subscribe') return;
        this.requests.push(request);
        ack(null, this.reply(request));
      },
    };
  }

  /** An event as if from the server (or the transport: 'connect', 'disconnect'). */
  serverEmit(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  asSocket(): LiveSocket {
    return this as unknown as LiveSocket;
  }
}

/** A well-formed tick of `scope` with sequence number `seq`. */
export function fakeTick(
  seq: number,
  kpis: Partial<Kpis> = {},
  extra: Partial<TickPayload> = {},
): TickPayload {
  const devices = kpis.devices ?? 1000;
  return {
    seq,
    ts: seq * 1000,
    tickMs: 1000,
    scope: 'global',
    filter: null,
    kpis: { ...emptyKpis(), devices, online: devices, ...kpis },
    breakdown: { tech: {}, class: {} },
    sites: { start: 0, count: 0, data: new Uint8Array(0) },
    simulated: true,
    ...extra,
  };
}
