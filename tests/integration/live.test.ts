import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TECHNOLOGIES } from '../../src/protocol/dimensions.ts';
import type { TickPayload } from '../../src/protocol/live.ts';
import { METRICS, type Kpis } from '../../src/protocol/metrics.ts';
import { decodeSiteFigures } from '../../src/protocol/site-figures.ts';
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

beforeAll(async () => {
  server = await startServer({ SIM_DEVICES: '20000', TICK_MS: '200' });
});
afterEach(() => closeSockets());
afterAll(async () => server.close());

function okTick(result: Awaited<ReturnType<typeof subscribe>>): TickPayload {
  if (!result.ok) throw new Error(`subscribe failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

function sum(list: Kpis[]): Kpis {
  const out = Object.fromEntries(METRICS.map((m) => [m, 0])) as Kpis;
  for (const k of list) for (const m of METRICS) out[m] += k[m];
  return out;
}

describe('live ticks over Socket.IO', () => {
  it('acks a subscribe with the latest tick, then ticks with consecutive seq', async () => {
    const socket = openSocket(server.url);
    const ticks = collectTicks(socket);
    const first = okTick(await subscribe(socket, { scope: 'global' }));
    expect(first.scope).toBe('global');
    expect(first.seq).toBe(Math.floor(first.ts / first.tickMs));
    expect(first.kpis.devices).toBeGreaterThan(19000); // a few slots are between devices
    // Volatile ticks may be skipped under heavy load, so look for a run of consecutive ones;
    // order is strict always.
    const run = () => {
      let best = 1;
      for (let i = 1, cur = 1; i < ticks.length; i++) {
        cur = ticks[i]!.seq === ticks[i - 1]!.seq + 1 ? cur + 1 : 1;
        best = Math.max(best, cur);
      }
      return best;
    };
    await waitFor(() => run() >= 4, 10_000, '4 consecutive ticks');
    const seqs = ticks.map((t) => t.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
    expect(seqs[0]).toBeGreaterThanOrEqual(first.seq);
    for (const t of ticks) {
      expect(t.ts).toBe(t.seq * t.tickMs);
      expect(t.kpis.online + t.kpis.degraded + t.kpis.offline).toBe(t.kpis.devices);
      expect(t.kpis.msgRate).toBeGreaterThan(0);
      expect(t.simulated).toBe(true);
    }
  });

  it('sums over technologies, classes and sites equal the totals exactly', async () => {
    const socket = openSocket(server.url);
    const tick = okTick(await subscribe(socket, { scope: 'global' }));
    const byTech = sum(Object.values(tick.breakdown.tech));
    const byClass = sum(Object.values(tick.breakdown.class));
    expect(Object.keys(tick.breakdown.tech)).toEqual([...TECHNOLOGIES]);
    for (const m of METRICS) {
      expect(byTech[m]).toBe(tick.kpis[m]);
      expect(byClass[m]).toBe(tick.kpis[m]);
    }
    const sites = decodeSiteFigures(tick.sites.data as Uint8Array, tick.sites.count);
    expect(tick.sites.count).toBe(server.scopes.sites.length);
    let devices = 0,
      online = 0,
      degraded = 0,
      offline = 0,
      flow = 0;
    for (let i = 0; i < tick.sites.count; i++) {
      devices += sites.devices[i]!;
      online += sites.online[i]!;
      degraded += sites.degraded[i]!;
      offline += sites.offline[i]!;
      flow += sites.flowRate[i]!;
    }
    expect([devices, online, degraded, offline]).toEqual([
      tick.kpis.devices,
      tick.kpis.online,
      tick.kpis.degraded,
      tick.kpis.offline,
    ]);
    const total = tick.kpis.bytesInRate + tick.kpis.bytesOutRate;
    expect(Math.abs(flow - total) / total).toBeLessThan(1e-5); // float32 per site
  });

  it('a filtered view equals the matching cells of the unfiltered breakdowns', async () => {
    const wide = openSocket(server.url);
    const narrow = openSocket(server.url);
    const both = openSocket(server.url);
    const wideTicks = collectTicks(wide);
    const narrowTicks = collectTicks(narrow);
    const bothTicks = collectTicks(both);
    okTick(await subscribe(wide, { scope: 'region:europe', filter: { class: ['smart-meter'] } }));
    okTick(await subscribe(narrow, { scope: 'region:europe', filter: { tech: ['nb-iot'] } }));
    const ack = okTick(
      await subscribe(both, {
        scope: 'region:europe',
        filter: { tech: ['nb-iot'], class: ['smart-meter'] },
      }),
    );
    expect(ack.filter).toEqual({ tech: ['nb-iot'], class: ['smart-meter'] });
    expect(Object.keys(ack.breakdown.tech)).toEqual(['nb-iot']);
    await waitFor(
      () =>
        bothTicks.some(
          (b) => wideTicks.some((w) => w.seq === b.seq) && narrowTicks.some((n) => n.seq === b.seq),
        ),
      5000,
      'a common seq',
    );
    const b = bothTicks.find(
      (t) => wideTicks.some((w) => w.seq === t.seq) && narrowTicks.some((n) => n.seq === t.seq),
    )!;
    const w = wideTicks.find((t) => t.seq === b.seq)!;
    const n = narrowTicks.find((t) => t.seq === b.seq)!;
    expect(b.kpis).toEqual(w.breakdown.tech['nb-iot']);
    expect(b.kpis).toEqual(n.breakdown.class['smart-meter']);
    expect(b.kpis.devices).toBeGreaterThan(0);
  });

  it('a new subscribe replaces the old view: no ticks of the old scope afterwards', async () => {
    const socket = openSocket(server.url);
    const ticks = collectTicks(socket);
    okTick(await subscribe(socket, { scope: 'country:FR' }));
    await waitFor(() => ticks.length >= 2, 5000, 'ticks of France');
    const switched = okTick(await subscribe(socket, { scope: 'country:de' }));
    expect(switched.scope).toBe('country:DE');
    const afterSwitch = ticks.length;
    await waitFor(() => ticks.length >= afterSwitch + 3, 5000, 'ticks of Germany');
    const later = ticks.slice(afterSwitch);
    expect(later.every((t) => t.scope === 'country:DE')).toBe(true);
    expect(later[0]!.seq).toBeGreaterThanOrEqual(switched.seq);
  });

  it('answers bad subscriptions with an error in the ack and keeps serving', async () => {
    const socket = openSocket(server.url);
    const unknown = await subscribe(socket, { scope: 'country:ZZ' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_scope' } });
    const malformed = await subscribe(socket, { scope: 'galaxy:far' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'unknown_scope' } });
    const badTech = await subscribe(socket, {
      scope: 'global',
      filter: { tech: ['carrier-pigeon'] },
    });
    expect(badTech).toMatchObject({ ok: false, error: { code: 'invalid_filter' } });
    expect(!badTech.ok && badTech.error.message).toMatch(/filter\.tech/);
    const empty = await subscribe(socket, { scope: 'global', filter: { class: [] } });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_filter' } });
    const garbage = await subscribe(socket, 42);
    expect(garbage).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const extra = await subscribe(socket, { scope: 'global', colour: 'blue' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    (socket.emit as (event: string) => void)('subscribe'); // no payload, no ack: ignored
    const fine = await subscribe(socket, { scope: 'site:fr-paris' });
    expect(okTick(fine).sites.count).toBe(1);
  });

  it('site figures of a country tick cover exactly its sites', async () => {
    const socket = openSocket(server.url);
    const tick = okTick(await subscribe(socket, { scope: 'country:JP' }));
    const node = server.scopes.resolve('country:JP')!;
    expect(tick.sites.start).toBe(node.siteStart);
    expect(tick.sites.count).toBe(node.siteCount);
    const sites = decodeSiteFigures(tick.sites.data as Uint8Array, tick.sites.count);
    expect(sites.devices.reduce((a, b) => a + b, 0)).toBe(tick.kpis.devices);
    // Tokyo is the largest Japanese site and must hold more devices than the smallest one.
    expect(sites.devices[0]!).toBeGreaterThan(sites.devices[tick.sites.count - 1]!);
  });
});

describe('ticks while the server back-fills its history', () => {
  it('carry the share done while it runs', async () => {
    const filling = await startServer({ TICK_MS: '200', BACKFILL_DAYS: '1' });
    try {
      const socket = openSocket(filling.url);
      const ticks = collectTicks(socket);
      await waitFor(() => filling.history.backfill.status.state === 'running', 5000, 'back-fill');
      const ack = okTick(await subscribe(socket, { scope: 'global' }));
      await waitFor(() => ticks.length >= 5, 5000, '5 ticks');
      const shares = [ack, ...ticks].map((t) => t.backfill);
      for (const share of shares) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThan(1);
      }
      expect(shares).toEqual([...shares].sort((a, b) => a! - b!)); // it only grows
    } finally {
      await filling.close();
    }
  });

  it('carry nothing when there is none to do', async () => {
    const socket = openSocket(server.url);
    const ticks = collectTicks(socket);
    const ack = okTick(await subscribe(socket, { scope: 'global' }));
    await waitFor(() => ticks.length >= 2, 5000, '2 ticks');
    expect(server.history.backfill.status.state).toBe('done');
    expect([ack, ...ticks].every((t) => !('backfill' in t))).toBe(true);
  });
});
