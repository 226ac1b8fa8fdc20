import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../src/protocol/api.ts';
import { RECENT_HISTORY, type SubscribedTick } from '../../src/protocol/live.ts';
import { SERIES_METRICS } from '../../src/protocol/metrics.ts';
import { ManualClock } from '../../src/server/core/clock.ts';
import {
  closeSockets,
  openSocket,
  startServer,
  subscribe,
  type RunningServer,
} from '../support/server.ts';

// 10:20:30 UTC: the server has run five and a half minutes when the page subscribes.
const T0 = Date.UTC(2026, 10, 27, 10, 15, 0);
let server: RunningServer;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(T0);
  server = await startServer({ SIM_DEVICES: '5000', TICK_MS: '1000', TICK_GRACE_MS: '100' }, clock);
  clock.advance(330_000);
});
afterAll(async () => {
  closeSockets();
  await server.close();
});

async function ackOf(request: object): Promise<SubscribedTick> {
  const result = await subscribe(openSocket(server.url), request);
  if (!result.ok) throw new Error(`subscribe failed: ${result.error.message}`);
  return result.data as SubscribedTick;
}

describe('the subscription ack carries the view’s last hour', () => {
  it('is what GET /api/v1/history answers for the same hour, one bucket a minute', async () => {
    const tick = await ackOf({ scope: 'region:europe' });
    const recent = tick.recent!;
    expect(recent).toBeDefined();
    expect(recent.scope).toBe('region:europe');
    expect(recent.stepMs).toBe(60_000);
    expect(recent.to - recent.from).toBe(RECENT_HISTORY.windowMs);
    expect(recent.t.length).toBeLessThanOrEqual(RECENT_HISTORY.maxPoints + 1);
    expect(Object.keys(recent.series).sort()).toEqual([...SERIES_METRICS].sort());

    const res = await server.app.inject({
      url:
        `/api/v1/history?scope=region:europe&metrics=${SERIES_METRICS.join(',')}` +
        `&from=${recent.from}&to=${recent.to}&maxPoints=${RECENT_HISTORY.maxPoints}`,
    });
    expect(res.statusCode).toBe(200);
    expect(recent).toEqual(res.json() as HistoryResponse);

    // Before the server started there is nothing; its minutes since then are there, and the
    // newest holds the tick's own figures.
    const devices = recent.series.devices!;
    const started = recent.t.findIndex((t) => t >= T0 - 60_000);
    expect(devices.slice(0, started).every((v) => v === null)).toBe(true);
    expect(devices.slice(-5).every((v) => v !== null && v > 0)).toBe(true);
    expect(devices.at(-1)).toBeCloseTo(tick.kpis.devices, -1);
  });

  it('is left out for a filtered view, whose history is kept by the hour', async () => {
    const tick = await ackOf({ scope: 'global', filter: { tech: ['lorawan'] } });
    expect(tick.filter).toEqual({ tech: ['lorawan'] });
    expect(tick.recent).toBeUndefined();
  });

  it('follows the clock: a later subscription reads a later hour', async () => {
    const before = (await ackOf({ scope: 'global' })).recent!;
    clock.advance(60_000);
    const after = (await ackOf({ scope: 'global' })).recent!;
    expect(after.to - before.to).toBe(60_000);
    expect(after.t.at(-1)! - before.t.at(-1)!).toBe(60_000);
  });
});
