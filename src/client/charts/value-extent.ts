import type { ChartLine, ChartRow } from './series-chart.tsx';

/**
 * The lowest and highest value a chart draws: each line's values, and the top edge of its
 * stacked areas (their sum) where it has any. Infinity / -Infinity when it draws nothing.
 */
export function valueExtent(
  rows: readonly ChartRow[],
  lines: readonly ChartLine[],
): { lo: number; hi: number } {
  const stacked = lines.filter((l) => l.kind === 'area').map((l) => l.key);
  const single = lines.filter((l) => l.kind === 'line').map((l) => l.key);
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number | null | undefined) => {
    if (typeof v !== 'number') return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const row of rows) {
    for (const key of single) see(row[key]);
    if (stacked.length === 0) continue;
    let sum = 0;
    for (const key of stacked) sum += row[key] ?? 0;
    see(sum);
  }
  return { lo, hi };
}
