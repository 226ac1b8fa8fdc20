import { useMemo, useState } from 'react';
import type { ChartLine, ChartRow } from './series-chart.tsx';
import { valueExtent } from './value-extent.ts';

/** A change smaller than this on screen is not drawn again. */
const TOLERANCE_PX = 0.5;

/** The extent the chart's value axis is fitted to (as series-chart.tsx fits it). */
function extent(rows: readonly ChartRow[], lines: readonly ChartLine[], tight: boolean) {
  const { lo, hi } = valueExtent(rows, lines);
  return { lo: tight ? lo : Math.min(0, lo), hi };
}

/**
 * Whether `next` draws the same chart as `prev`, `heightPx` tall: the same buckets, the same
 * axis extent, and no line or stacked edge moved by half a pixel or more. A tick is averaged
 * into the current bucket, so its point moves on every tick, mostly by far less than a pixel;
 * the window itself moves only once per bucket step.
 */
export function sameDrawing(
  prev: readonly ChartRow[],
  next: readonly ChartRow[],
  lines: readonly ChartLine[],
  heightPx: number,
  tight: boolean,
): boolean {
  if (prev === next) return true;
  if (prev.length !== next.length) return false;
  if (prev.length === 0) return true;
  if (prev[0]!.t !== next[0]!.t || prev.at(-1)!.t !== next.at(-1)!.t) return false;
  const a = extent(prev, lines, tight);
  const b = extent(next, lines, tight);
  if (a.lo !== b.lo || a.hi !== b.hi) return false;
  // The axis spans at least the extent, so this many pixels per unit at most.
  const pxPerUnit = b.hi > b.lo ? heightPx / (b.hi - b.lo) : Infinity;
  for (let i = 0; i < next.length; i++) {
    const p = prev[i]!;
    const n = next[i]!;
    if (p === n) continue;
    if (p.t !== n.t) return false;
    // A stacked area's edge moves by at most the sum of the moves below it.
    let stacked = 0;
    for (const l of lines) {
      const x = p[l.key] ?? null;
      const y = n[l.key] ?? null;
      if ((x === null) !== (y === null)) return false;
      const move = x === null || y === null ? 0 : Math.abs(y - x);
      if (l.kind === 'area') stacked += move;
      if ((l.kind === 'area' ? stacked : move) * pxPerUnit >= TOLERANCE_PX) return false;
    }
  }
  return true;
}

/**
 * The rows to hand to a chart: the ones it drew last, as long as the newest would draw the same
 * picture (see sameDrawing). Each redraw of a Recharts chart is a long task here, and a tick
 * that only moves the current bucket's mean by a fraction of a pixel would cause one.
 */
export function useDrawnRows(
  rows: readonly ChartRow[],
  lines: readonly ChartLine[],
  heightPx: number,
  tight: boolean,
): readonly ChartRow[] {
  const [drawn, setDrawn] = useState(rows);
  // Compared once per new series, not again on the renders in between (the tick's own render
  // still has the previous series: the charts take theirs through useDeferredValue).
  const keep = useMemo(
    () => drawn === rows || sameDrawing(drawn, rows, lines, heightPx, tight),
    [drawn, rows, lines, heightPx, tight],
  );
  // Derived from the previous render, as React's docs do it: set during render, re-rendered at once.
  if (!keep) setDrawn(rows);
  return keep ? drawn : rows;
}
