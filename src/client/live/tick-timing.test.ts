import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TickPayload } from '../../protocol/live.ts';
import type * as TickTimingModule from './tick-timing.ts';

type TickTiming = typeof TickTimingModule;

function tick(seq: number, scope = 'global'): TickPayload {
  return { seq, scope } as TickPayload;
}

// The recorder keeps module state: every test gets a fresh copy.
async function load(): Promise<TickTiming> {
  vi.resetModules();
  return import('./tick-timing.ts');
}

let now = 0;
beforeEach(() => {
  vi.stubGlobal('window', {});
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A tick arriving at `at`, its commit `commitMs` later and its effects `settledMs` after arrival. */
function handle(t: TickTiming, p: TickPayload, at: number, commitMs: number, settledMs: number) {
  now = at;
  t.noteTickArrival(p);
  now = at + commitMs;
  t.noteTickCommitted(p);
  now = at + settledMs;
  t.noteTickSettled(p);
}

describe('tick timing (?bench=1)', () => {
  it('is requested by ?bench=1 only', async () => {
    const t = await load();
    expect(t.tickTimingRequested('?bench=1&scope=global')).toBe(true);
    expect(t.tickTimingRequested('?bench')).toBe(true);
    expect(t.tickTimingRequested('?bench=0')).toBe(false);
    expect(t.tickTimingRequested('?scope=global')).toBe(false);
  });

  it('records nothing and exposes nothing until enabled', async () => {
    const t = await load();
    handle(t, tick(1), 100, 3, 5);
    expect(window.__meridianTickTiming).toBeUndefined();
    t.enableTickTiming();
    expect(window.__meridianTickTiming!.drain()).toEqual([]);
  });

  it('times a tick from its arrival to its commit and to its settled effects', async () => {
    const t = await load();
    t.enableTickTiming();
    handle(t, tick(7, 'country:FR'), 1000, 4, 9);
    const api = window.__meridianTickTiming!;
    expect(api.drain()).toEqual([
      { seq: 7, scope: 'country:FR', arrivedAt: 1000, commitMs: 4, settledMs: 9 },
    ]);
    expect(api.drain()).toEqual([]);
    expect(api.lastCommit()).toEqual({ scope: 'country:FR', seq: 7, at: 1004 });
  });

  it("does not count a subscription ack's tick as a tick's handling, but notes its commit", async () => {
    const t = await load();
    t.enableTickTiming();
    now = 50;
    t.noteTickArrival(tick(1)); // an event the connection ignored (it awaits an ack)
    const fromAck = tick(2, 'region:europe');
    now = 80;
    t.noteTickCommitted(fromAck);
    t.noteTickSettled(fromAck);
    expect(window.__meridianTickTiming!.drain()).toEqual([]);
    expect(window.__meridianTickTiming!.lastCommit()).toEqual({
      scope: 'region:europe',
      seq: 2,
      at: 80,
    });
  });

  it('keeps the newest 4,096 samples, oldest first, and counts what it forgot', async () => {
    const t = await load();
    t.enableTickTiming();
    for (let seq = 1; seq <= 4100; seq++) handle(t, tick(seq), seq * 10, 1, 2);
    const api = window.__meridianTickTiming!;
    const samples = api.drain();
    expect(samples).toHaveLength(4096);
    expect(samples[0]!.seq).toBe(5);
    expect(samples.at(-1)!.seq).toBe(4100);
    expect(api.dropped()).toBe(4);
    handle(t, tick(4101), 50_000, 1, 2);
    expect(api.drain().map((s) => s.seq)).toEqual([4101]);
  });
});
