import { MAX_PIECES, splitSpan } from '../aggregate/span.ts';

export { MAX_PIECES };

const ts = new Float64Array(MAX_PIECES);
const share = new Float64Array(MAX_PIECES);

/**
 * Calls `put(t, share)` for the pieces of the interval (from, to] so that traffic reported for
 * it lands evenly across the seconds it happened in, not as a spike in the report's second (see
 * splitSpan). Ingest itself hands whole spans to the aggregator (`foldSpan`), which cuts them
 * the same way; this is the reference form of that cut.
 */
export function spreadOver(
  from: number,
  to: number,
  put: (t: number, share: number) => void,
): void {
  const n = splitSpan(from, to, ts, share);
  for (let p = 0; p < n; p++) put(ts[p]!, share[p]!);
}
