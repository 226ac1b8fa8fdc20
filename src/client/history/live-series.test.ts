import { describe, expect, it, vi } from 'vitest';
import type { HistoryResponse } from '../../protocol/api.ts';
import type { TickPayload } from '../../protocol/live.ts';
import type { ConnectionState } from '../live/connection.ts';
import type { HistoryRange } from './api.ts';
import { LiveSeriesStore } from './live-series.ts';

const HOUR = 3_600_000;

function tick(seq: number, online: number): TickPayload {
  return {
    seq,
    ts: (seq + 1) * 1000,
    tickMs: 1000,
    scope: 'global',
    filter: null,
    kpis: {
      devices: 100,
      online,
      degraded: 0,
      offline: 100 - online,
      msgRate: 1,
      bytesInRate: 1,
      bytesOutRate: 1,
    },
    breakdown: { tech: {}, class: {} },
    sites: { start: 0, count: 0, data: new Uint8Array(0) },
    simulated: true,
  };
}

/** A second-by-second history where the value at second s is s (null where `missing`). */
function history(from: number, to: number, missing: (s: number) => boolean = () => false) {
  const t: number[] = [];
  for (let x = from; x < to; x += 1000) t.push(x);
  const v = t.map((x) => (missing(x / 1000) ? null : x / 1000));
  const res: HistoryResponse = {
    scope: 'global',
    from,
    to,
    stepMs: 1000,
    tier: 'sec',
    t,
    series: { online: v, devices: v, bytesInRate: v, bytesOutRate: v },
    completeness: v.map((x) => (x === null ? 0 : 1)),
    filter: null,
    kept: true,
  };
  return res;
}

function fakeSource() {
  const listeners = new Set<() => void>();
  let snap: {
    state: ConnectionState;
    tick: TickPayload | null;
    recent?: HistoryResponse | null;
  } = { state: 'live', tick: null };
  return {
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => snap,
    set(patch: Partial<typeof snap>) {
      snap = { ...snap, ...patch };
      for (const l of listeners) l();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('LiveSeriesStore', () => {
  it('seeds, extends, and fills a restart from history with no hole and no duplicate', async () => {
    const source = fakeSource();
    const ranges: HistoryRange[] = [];
    const store = new LiveSeriesStore({
      source,
      scope: 'global',
      windowMs: HOUR,
      fallbackStepMs: 1000,
      fetchGap: vi.fn(async (range: HistoryRange) => {
        ranges.push(range);
        return history(range.from, range.to);
      }),
      setTimer: (fn) => setTimeout(fn, 0),
    });
    store.start();
    source.set({ tick: tick(10, 10) }); // arrives before history: kept until the seed
    store.seed(history(0, 10_000), 1000);
    source.set({ tick: tick(11, 11) });
    expect(store.getSnapshot()!.points.map((p) => p.t)).toEqual(
      Array.from({ length: 12 }, (_, i) => i * 1000),
    );

    // The server restarts: ticks 12..15 are never seen, then the link comes back.
    source.set({ state: 'reconnecting' });
    source.set({ state: 'live', tick: tick(16, 16) });
    expect(store.getSnapshot()!.points.filter((p) => p.weight === 0)).toHaveLength(4);
    await settle();
    await settle();
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.from).toBeLessThanOrEqual(12_000);
    expect(ranges[0]!.to).toBeGreaterThanOrEqual(16_000);
    const points = store.getSnapshot()!.points;
    expect(points.map((p) => p.t)).toEqual(Array.from({ length: 17 }, (_, i) => i * 1000));
    expect(points.every((p) => p.weight > 0)).toBe(true);
    expect(points.map((p) => p.online)).toEqual(points.map((p) => p.t / 1000));
    store.stop();
  });

  it('a filtered chart takes only its own ticks and leaves a gap empty (no history to read)', async () => {
    const source = fakeSource();
    const store = new LiveSeriesStore({
      source,
      scope: 'global',
      windowMs: HOUR,
      fallbackStepMs: 1000,
      filter: { tech: ['lorawan'] },
      fetchGap: null,
      setTimer: (fn) => setTimeout(fn, 0),
    });
    store.start();
    store.seedEmpty();
    const filtered = (seq: number) => ({ ...tick(seq, 7), filter: { tech: ['lorawan' as const] } });
    source.set({ tick: tick(1, 99) }); // the unfiltered view's last tick: not this chart's
    source.set({ tick: filtered(2) });
    source.set({ tick: filtered(5) }); // 3 and 4 were missed
    await settle();
    const points = store.getSnapshot()!.points.filter((p) => p.weight > 0);
    expect(points.map((p) => p.online)).toEqual([7, 7]);
    store.stop();
  });

  it('reads the gap again while the server is still back-filling it', async () => {
    const source = fakeSource();
    let calls = 0;
    const store = new LiveSeriesStore({
      source,
      scope: 'global',
      windowMs: HOUR,
      fallbackStepMs: 1000,
      // First answer: the restarted server has not written seconds 12..13 yet.
      fetchGap: async (range) =>
        history(range.from, range.to, (s) => ++calls === 1 && s >= 12 && s < 14),
      setTimer: (fn) => setTimeout(fn, 0),
    });
    store.start();
    store.seed(history(0, 12_000), 1000);
    source.set({ tick: tick(11, 11) });
    source.set({ tick: tick(15, 15) });
    for (let i = 0; i < 10; i++) await settle();
    expect(store.getSnapshot()!.points.every((p) => p.weight > 0)).toBe(true);
    store.stop();
  });
});

describe('LiveSeriesStore against a server that is back-filling its past', () => {
  // A fresh server writes the last hour within seconds but its whole back-fill for much longer;
  // a page opened meanwhile must not keep the hole it was first given.
  const make = (written: () => boolean) => {
    const source = fakeSource();
    let reads = 0;
    const store = new LiveSeriesStore({
      source,
      scope: 'global',
      windowMs: HOUR,
      fallbackStepMs: 1000,
      seedFromAck: true,
      // Seconds 5..9 are not written until `written()` says so.
      fetchGap: async (range) => {
        reads++;
        return history(range.from, range.to, (s) => !written() && s >= 5 && s < 10);
      },
      setTimer: (fn) => setTimeout(fn, 0),
    });
    store.start();
    const holes = () => store.getSnapshot()!.points.filter((p) => p.weight === 0).length;
    return { source, store, holes, reads: () => reads };
  };
  const settleMany = async (n: number) => {
    for (let i = 0; i < n; i++) await settle();
  };

  it('keeps reading the hole for as long as ticks say back-fill runs, then has none', async () => {
    let written = false;
    const { source, store, holes, reads } = make(() => written);
    const recent = history(0, 20_000, (s) => s >= 5 && s < 10);
    source.set({ tick: { ...tick(20, 20), backfill: 0.02 }, recent });
    expect(holes()).toBe(5);
    for (let seq = 21; seq < 30; seq++) {
      await settleMany(10);
      source.set({ tick: { ...tick(seq, seq), backfill: seq / 100 } });
    }
    await settleMany(20);
    // Many more reads than the retries a server that is not back-filling gets.
    expect(reads()).toBeGreaterThan(40);
    expect(holes()).toBe(5);
    written = true;
    await settleMany(10);
    expect(holes()).toBe(0);
    const settled = reads();
    await settleMany(20);
    expect(reads()).toBe(settled); // whole: no more reads
    store.stop();
  });

  it('gives up after its retries when the server is not back-filling, and reads once more when it starts', async () => {
    let written = false;
    const { source, store, holes, reads } = make(() => written);
    source.set({ tick: tick(20, 20), recent: history(0, 20_000, (s) => s >= 5 && s < 10) });
    await settleMany(60);
    expect(reads()).toBe(17); // the first read and 16 retries
    expect(holes()).toBe(5);
    written = true;
    source.set({ tick: { ...tick(21, 21), backfill: 0 } });
    await settleMany(10);
    expect(holes()).toBe(0);
    store.stop();
  });
});

describe('LiveSeriesStore seeded from the subscription ack', () => {
  const make = (seedFromAck: boolean) => {
    const source = fakeSource();
    const fetchGap = vi.fn(async (range: HistoryRange) => history(range.from, range.to));
    const store = new LiveSeriesStore({
      source,
      scope: 'global',
      windowMs: HOUR,
      fallbackStepMs: 1000,
      seedFromAck,
      fetchGap,
    });
    store.start();
    return { source, store, fetchGap };
  };

  it('draws the ack’s history and its tick in one update, reading nothing more', () => {
    const { source, store, fetchGap } = make(true);
    const updates: number[] = [];
    store.subscribe(() => updates.push(store.getSnapshot()?.points.length ?? 0));
    // History up to 10:00:10 (values 0…9), then the tick of second 10 (online 42).
    source.set({ tick: tick(10, 42), recent: history(0, 10_000) });
    const points = store.getSnapshot()!.points;
    expect(points.map((p) => p.online)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 42]);
    expect(updates.at(-1)).toBe(11);
    expect(fetchGap).not.toHaveBeenCalled();
  });

  it('ignores the ack’s history when it reads its own (another step), or of another scope', () => {
    const own = make(false);
    own.source.set({ tick: tick(10, 42), recent: history(0, 10_000) });
    expect(own.store.getSnapshot()).toBeNull(); // waits for its own read
    const other = make(true);
    other.source.set({
      tick: tick(10, 42),
      recent: { ...history(0, 10_000), scope: 'region:asia' },
    });
    expect(other.store.getSnapshot()).toBeNull();
  });
});

describe('LiveSeriesStore without history', () => {
  it('starts live-only and takes history when it can be read', () => {
    const source = fakeSource();
    const store = new LiveSeriesStore({
      source,
      scope: 'global',
      windowMs: HOUR,
      fallbackStepMs: 1000,
      fetchGap: async (range) => history(range.from, range.to),
      setTimer: () => 0,
    });
    store.start();
    store.seedEmpty();
    source.set({ tick: tick(20, 20) });
    expect(store.getSnapshot()!.points.map((p) => p.t)).toEqual([20_000]);
    store.seed(history(0, 21_000), 1000);
    const points = store.getSnapshot()!.points;
    expect(points).toHaveLength(21);
    expect(points.every((p) => p.weight > 0)).toBe(true);
    source.set({ tick: tick(21, 21) });
    expect(store.getSnapshot()!.points.at(-1)!.t).toBe(21_000);
    store.stop();
  });
});
