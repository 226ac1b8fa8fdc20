/** Spreading finer than this many pieces costs more than any chart can show. */
export const MAX_PIECES = 3600;

/**
 * Calls `put(t, share)` for the pieces of the interval (from, to] so that traffic reported for
 * it lands evenly across the seconds it happened in, not as a spike in the report's second.
 * Whole seconds are used up to an hour; longer gaps are cut into MAX_PIECES equal runs of
 * seconds, each put at its first second (a minute chart still reads right). Shares sum to 1.
 */
export function spreadOver(
  from: number,
  to: number,
  put: (t: number, share: number) => void,
): void {
  const first = Math.floor(from / 1000) + 1;
  const last = Math.floor(to / 1000);
  if (last < first) {
    put(to, 1);
    return;
  }
  const seconds = last - first + 1;
  const pieces = Math.min(seconds, MAX_PIECES);
  const step = seconds / pieces;
  for (let p = 0; p < pieces; p++) {
    const start = first + Math.floor(p * step);
    const end = first + Math.floor((p + 1) * step);
    put(start * 1000, (end - start) / seconds);
  }
}
