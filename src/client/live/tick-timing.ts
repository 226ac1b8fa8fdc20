// Bench instrumentation, on only with `?bench=1` in the URL: for each tick, the time from its
// arrival at the socket to the end of the React commit it caused (bench/client-overview.ts).
// Off, it costs one call and one branch per tick. On, it keeps the last CAPACITY samples in a
// ring and uses no performance marks, so the browser's timeline does not grow on a wall that
// runs for weeks with the flag left in its URL.
import type { TickPayload } from '../../protocol/live.ts';

/** One tick, in ms of `performance.now()`. */
export interface TickTimingSample {
  seq: number;
  scope: string;
  /** When the socket handed the tick to the connection. */
  arrivedAt: number;
  /** Arrival to the end of the commit's layout effects (DOM written, map data pushed). */
  commitMs: number;
  /** Arrival to the end of that commit's passive effects and what they rendered in turn. */
  settledMs: number;
}

/** `window.__meridianTickTiming`, read by the benchmark. */
export interface TickTimingProbeApi {
  /** The samples since the previous call, oldest first; the ring forgets beyond CAPACITY. */
  drain(): TickTimingSample[];
  /** Samples the ring had to forget because nobody drained it. */
  dropped(): number;
  /** The latest committed tick of any origin (event or subscription ack): its scope and time. */
  lastCommit(): { scope: string; seq: number; at: number } | null;
}

declare global {
  interface Window {
    __meridianTickTiming?: TickTimingProbeApi;
  }
}

const CAPACITY = 4096;

let enabled = false;
let arrivedTick: unknown = null;
let arrivedAt = 0;
let committing: { tick: TickPayload; arrivedAt: number; commitMs: number } | null = null;
let lastCommit: { scope: string; seq: number; at: number } | null = null;
const ring: TickTimingSample[] = [];
let next = 0;
let lost = 0;

/** Whether the page was opened with `?bench=1` (or `?bench`). */
export function tickTimingRequested(search: string): boolean {
  const value = new URLSearchParams(search).get('bench');
  return value !== null && value !== '0' && value !== 'false';
}

/** Turns the recorder on and exposes it as `window.__meridianTickTiming`. */
export function enableTickTiming(): void {
  enabled = true;
  window.__meridianTickTiming = {
    drain() {
      const out = ring.slice(next).concat(ring.slice(0, next));
      ring.length = 0;
      next = 0;
      return out;
    },
    dropped: () => lost,
    lastCommit: () => lastCommit,
  };
}

export function tickTimingEnabled(): boolean {
  return enabled;
}

/** Called first thing when a `tick` event arrives, before it is validated or acknowledged. */
export function noteTickArrival(tick: unknown): void {
  if (!enabled) return;
  arrivedTick = tick;
  arrivedAt = performance.now();
}

/** From the probe's layout effect: the commit that shows `tick` is done. */
export function noteTickCommitted(tick: TickPayload): void {
  const now = performance.now();
  lastCommit = { scope: tick.scope, seq: tick.seq, at: now };
  // A tick from a subscription's ack has no arrival of its own: it is not a tick's handling.
  committing = tick === arrivedTick ? { tick, arrivedAt, commitMs: now - arrivedAt } : null;
  arrivedTick = null;
}

/** From a microtask queued by the probe's passive effect: everything the tick caused is done. */
export function noteTickSettled(tick: TickPayload): void {
  const c = committing;
  if (!c || c.tick !== tick) return;
  committing = null;
  const sample: TickTimingSample = {
    seq: tick.seq,
    scope: tick.scope,
    arrivedAt: c.arrivedAt,
    commitMs: c.commitMs,
    settledMs: performance.now() - c.arrivedAt,
  };
  if (ring.length < CAPACITY) ring.push(sample);
  else {
    ring[next] = sample;
    next = (next + 1) % CAPACITY;
    lost++;
  }
}
