import type { LiveSnapshot } from './connection.ts';

/** Figures are stale when no tick came for more than this many tick intervals. */
export const STALE_AFTER_TICKS = 3;
const DEFAULT_TICK_MS = 1000;

export interface Freshness {
  /** Browser-clock age of the latest tick, or null before the first one. */
  ageMs: number | null;
  stale: boolean;
  /** Wall-clock time the latest tick arrived: the figures have not changed since. */
  staleSince: number | null;
}

/** How old the latest tick is, by the browser's monotonic clock (never the server's `ts`). */
export function freshness(
  snap: Pick<LiveSnapshot, 'receivedAt' | 'receivedMono' | 'tickMs'>,
  nowMono: number,
): Freshness {
  if (snap.receivedMono === null || snap.receivedAt === null) {
    return { ageMs: null, stale: false, staleSince: null };
  }
  const ageMs = Math.max(0, nowMono - snap.receivedMono);
  const stale = ageMs > STALE_AFTER_TICKS * (snap.tickMs ?? DEFAULT_TICK_MS);
  return { ageMs, stale, staleSince: stale ? snap.receivedAt : null };
}
