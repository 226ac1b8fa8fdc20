/** Spreading finer than this many pieces costs more than any chart can show. */
export const MAX_PIECES = 3600;

/**
 * Cuts the interval (from, to] into the pieces its traffic is spread over, writing each piece's
 * start (epoch ms) to `ts` and its share of the whole to `share`, in time order, and returns how
 * many there are (at most MAX_PIECES; the arrays must hold that many). Whole seconds are used up
 * to an hour; longer gaps are cut into MAX_PIECES equal runs of seconds, each put at its first
 * second (a minute chart still reads right). An interval within one second is one piece at `to`.
 * Shares sum to 1.
 */
export function splitSpan(from: number, to: number, ts: Float64Array, share: Float64Array): number {
  const first = Math.floor(from / 1000) + 1;
  const last = Math.floor(to / 1000);
  if (last < first) {
    ts[0] = to;
    share[0] = 1;
    return 1;
  }
  const seconds = last - first + 1;
  const pieces = Math.min(seconds, MAX_PIECES);
  const step = seconds / pieces;
  for (let p = 0; p < pieces; p++) {
    const start = first + Math.floor(p * step);
    const end = first + Math.floor((p + 1) * step);
    ts[p] = start * 1000;
    share[p] = (end - start) / seconds;
  }
  return pieces;
}
