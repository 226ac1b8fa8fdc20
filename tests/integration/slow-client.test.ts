import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeSockets,
  collectTicks,
  openSocket,
  startServer,
  subscribe,
  waitFor,
  type RunningServer,
} from '../support/server.ts';

let server: RunningServer;
let proxy: Server;
let proxyUrl = '';
const upstreams: Socket[] = [];

// A TCP proxy between client and server whose server→client direction can be stalled, as a
// client on a congested link would be.
beforeAll(async () => {
  server = await startServer({ SIM_DEVICES: '20000', TICK_MS: '100', TICK_GRACE_MS: '10' });
  const port = Number(new URL(server.url).port);
  proxy = createServer((downstream) => {
    const upstream = createConnection({ port, host: '127.0.0.1' });
    upstreams.push(upstream);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    const end = () => {
      upstream.destroy();
      downstream.destroy();
    };
    downstream.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const address = proxy.address();
  if (!address || typeof address === 'string') throw new Error('no proxy address');
  proxyUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  closeSockets();
  proxy.close();
  await server.close();
});

describe('a client that acknowledges ticks', () => {
  it('gets every tick, in order, while it keeps up', async () => {
    const socket = openSocket(server.url);
    const ticks = collectTicks(socket);
    expect((await subscribe(socket, { scope: 'country:IN', ackTicks: true })).ok).toBe(true);
    await waitFor(() => ticks.length >= 10, 5000, '10 ticks');
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.seq).toBe(ticks[i - 1]!.seq + 1);
  });

  it('gets the newest tick after a stall, not the backlog of every tick it missed', async () => {
    const socket = openSocket(proxyUrl);
    const ticks = collectTicks(socket);
    const ack = await subscribe(socket, { scope: 'global', ackTicks: true });
    expect(ack.ok).toBe(true);
    await waitFor(() => ticks.length >= 3, 5000, 'first ticks');
    const upstream = upstreams.at(-1)!;
    upstream.pause(); // stop reading what the server sends
    const stalledAt = ticks.length;
    const seqAtStall = server.pipeline.lastTick!.seq;
    await new Promise((r) => setTimeout(r, 4000));
    const missed = server.pipeline.lastTick!.seq - seqAtStall;
    upstream.resume();
    const newest = () => server.pipeline.lastTick!.seq;
    await waitFor(
      () => ticks.length > stalledAt && ticks.at(-1)!.seq >= newest() - 1,
      5000,
      'the newest tick',
    );
    const delivered = ticks.slice(stalledAt).filter((t) => t.seq <= seqAtStall + missed).length;
    console.log(`stalled 4 s: ${missed} ticks happened, ${delivered} of them were delivered`);
    expect(missed).toBeGreaterThan(30);
    expect(delivered).toBeLessThan(missed / 2);
  });
});
