// The connection against a real Socket.IO server on port 0 with the real socket.io-client.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Ack } from '../../protocol/envelope.ts';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SubscribedTick,
  SubscribeRequest,
  TickPayload,
} from '../../protocol/live.ts';
import type { HistoryResponse } from '../../protocol/api.ts';
import { emptyKpis } from '../../protocol/metrics.ts';
import { LiveConnection, type LiveSocket } from './connection.ts';

type TestServer = Server<ClientToServerEvents, ServerToClientEvents>;
type Reply = (req: SubscribeRequest) => Ack<SubscribedTick>;

function tick(scope: string, seq: number, devices = 10): TickPayload {
  return {
    seq,
    ts: seq * 1000,
    tickMs: 1000,
    scope,
    filter: null,
    kpis: { ...emptyKpis(), devices, online: devices },
    breakdown: { tech: {}, class: {} },
    sites: { start: 0, count: 0, data: new Uint8Array(0) },
    simulated: true,
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function serve(version: () => string, reply: Reply) {
  const http: HttpServer = createServer();
  const server: TestServer = new Server(http);
  const requests: SubscribeRequest[] = [];
  server.on('connection', (socket) => {
    socket.emit('hello', { version: version(), tickMs: 1000, serverTime: 0 });
    socket.on('subscribe', (req, ack) => {
      requests.push(req);
      ack(reply(req));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  cleanups.push(() => void server.close());
  return { server, requests, port };
}

function connect(port: number, view: SubscribeRequest, reload = vi.fn()) {
  const createSocket = (): LiveSocket =>
    io(`http://127.0.0.1:${port}`, {
      autoConnect: false,
      transports: ['websocket'],
      reconnectionDelay: 20,
      reconnectionDelayMax: 50,
    });
  let wall = 1_000_000;
  const live = new LiveConnection({
    view,
    createSocket,
    reload,
    wallClock: () => wall++,
    offlineAfterMs: 300,
  });
  cleanups.unshift(() => live.stop());
  live.start();
  return { live, reload };
}

describe('LiveConnection', () => {
  it('subscribes on connect and takes the ack as the first tick', async () => {
    const { requests, port } = await serve(
      () => '1.0.0',
      (req) => ({ ok: true, data: tick(req.scope, 5) }),
    );
    const { live } = connect(port, { scope: 'region:europe' });
    expect(live.getSnapshot().state).toBe('connecting');
    await vi.waitFor(() => expect(live.getSnapshot().tick?.seq).toBe(5));
    const snap = live.getSnapshot();
    expect(snap.state).toBe('live');
    expect(snap.tick?.scope).toBe('region:europe');
    expect(snap.serverVersion).toBe('1.0.0');
    expect(snap.receivedAt).toBeGreaterThanOrEqual(1_000_000);
    expect(requests).toEqual([{ scope: 'region:europe', ackTicks: true }]);
  });

  it('holds the history the ack carries, with the tick, status-filtered, until the view changes', async () => {
    const recent = (scope: string): HistoryResponse => ({
      scope,
      from: 0,
      to: 120_000,
      stepMs: 60_000,
      tier: 'min',
      t: [0, 60_000],
      series: { devices: [10, 10], online: [6, 7], degraded: [3, 2] },
      completeness: [1, 1],
      filter: null,
      kept: true,
    });
    const { port } = await serve(
      () => '1',
      (req) => ({
        ok: true,
        data:
          req.scope === 'global'
            ? { ...tick(req.scope, 5), recent: recent(req.scope) }
            : tick(req.scope, 6),
      }),
    );
    const { live } = connect(port, { scope: 'global' });
    const seen: (HistoryResponse | null)[] = [];
    live.subscribe(() => {
      const snap = live.getSnapshot();
      // The history is there in the very update that brings the view's first tick.
      if (snap.tick && !seen.length) seen.push(snap.recent);
    });
    await vi.waitFor(() => expect(live.getSnapshot().tick?.seq).toBe(5));
    expect(seen).toEqual([recent('global')]);
    expect(live.getSnapshot().tick).not.toHaveProperty('recent');

    live.setStatusFilter(['offline']);
    expect(live.getSnapshot().recent?.series.devices).toEqual([1, 1]);

    live.setView({ scope: 'region:europe' });
    expect(live.getSnapshot().recent).toBeNull();
    await vi.waitFor(() => expect(live.getSnapshot().tick?.seq).toBe(6));
    expect(live.getSnapshot().recent).toBeNull(); // this ack carried none
  });

  it('keeps newer ticks only and notifies listeners', async () => {
    const { server, port } = await serve(
      () => '1',
      (req) => ({ ok: true, data: tick(req.scope, 5) }),
    );
    const { live } = connect(port, { scope: 'global' });
    const listener = vi.fn();
    live.subscribe(listener);
    await vi.waitFor(() => expect(live.getSnapshot().tick?.seq).toBe(5));
    server.emit('tick', tick('global', 4));
    server.emit('tick', tick('global', 7, 42));
    await vi.waitFor(() => expect(live.getSnapshot().tick?.kpis.devices).toBe(42));
    expect(live.getSnapshot().tick?.seq).toBe(7);
    expect(listener).toHaveBeenCalled();
  });

  it('acknowledges every tick, the ignored ones too, so flow control never stalls', async () => {
    const { server, port } = await serve(
      () => '1',
      (req) => ({ ok: true, data: tick(req.scope, 5) }),
    );
    const { live } = connect(port, { scope: 'global' });
    await vi.waitFor(() => expect(live.getSnapshot().tick?.seq).toBe(5));
    const [socket] = await server.fetchSockets();
    const acked = (t: TickPayload) =>
      new Promise<number>((resolve) => socket!.emit('tick', t, () => resolve(t.seq)));
    await expect(acked(tick('global', 6))).resolves.toBe(6);
    await expect(acked(tick('global', 6))).resolves.toBe(6); // a repeat: ignored, still acked
    expect(live.getSnapshot().tick?.seq).toBe(6);
  });

  it('ignores ticks of the old view until the new subscription is answered', async () => {
    const { server, requests, port } = await serve(
      () => '1',
      (req) => {
        // The old view's room still gets a tick before the server answers.
        if (req.scope === 'country:DE') server.emit('tick', tick('global', 99));
        return { ok: true, data: tick(req.scope, 10) };
      },
    );
    const { live } = connect(port, { scope: 'global' });
    await vi.waitFor(() => expect(live.getSnapshot().tick?.scope).toBe('global'));
    const seen: (string | undefined)[] = [];
    live.subscribe(() => seen.push(live.getSnapshot().tick?.scope));
    live.setView({ scope: 'country:DE' });
    expect(live.getSnapshot().tick).toBeNull();
    await vi.waitFor(() => expect(live.getSnapshot().tick?.scope).toBe('country:DE'));
    // Never, not even for one render, the old view's figures under the new view.
    expect(seen.filter((scope) => scope !== undefined)).toEqual(['country:DE']);
    expect(requests.map((r) => r.scope)).toEqual(['global', 'country:DE']);
  });

  it('reports an unknown scope', async () => {
    const { port } = await serve(
      () => '1',
      () => ({ ok: false, error: { code: 'unknown_scope', message: 'no scope "x:y"' } }),
    );
    const { live } = connect(port, { scope: 'x:y' });
    await vi.waitFor(() => expect(live.getSnapshot().error?.code).toBe('unknown_scope'));
    expect(live.getSnapshot().tick).toBeNull();
  });

  it('reconnects after a server-side disconnect, re-subscribes and reloads on a new version', async () => {
    let version = '1.0.0';
    const { server, requests, port } = await serve(
      () => version,
      (req) => ({ ok: true, data: tick(req.scope, requests.length) }),
    );
    const { live, reload } = connect(port, { scope: 'global' });
    await vi.waitFor(() => expect(live.getSnapshot().tick?.seq).toBe(1));

    server.disconnectSockets(true);
    await vi.waitFor(() => expect(requests).toHaveLength(2));
    await vi.waitFor(() => expect(live.getSnapshot().tick?.seq).toBe(2));
    expect(live.getSnapshot().state).toBe('live');
    expect(reload).not.toHaveBeenCalled();

    version = '1.1.0';
    server.disconnectSockets(true);
    await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
  });

  it('shows offline when the server stays away, and the last tick is kept', async () => {
    const { server, port } = await serve(
      () => '1',
      (req) => ({ ok: true, data: tick(req.scope, 3) }),
    );
    const { live } = connect(port, { scope: 'global' });
    await vi.waitFor(() => expect(live.getSnapshot().state).toBe('live'));
    await new Promise<void>((resolve) => {
      server.disconnectSockets(true);
      void server.close(() => resolve());
    });
    await vi.waitFor(() => expect(live.getSnapshot().state).toBe('reconnecting'));
    await vi.waitFor(() => expect(live.getSnapshot().state).toBe('offline'));
    expect(live.getSnapshot().tick?.seq).toBe(3);
  });
});
