import type { ScopeFigures } from './child-figures.ts';

/** Samples kept per child: one per tick, two minutes at the default tick. */
export const TREND_SAMPLES = 120;

/**
 * Each child's online share over the last ticks, for the table's trend column. Fed once per
 * tick (a repeated seq is ignored); bounded, so a page left open for weeks does not grow.
 */
export class ChildTrends {
  private readonly series = new Map<string, number[]>();
  private lastSeq = -1;

  push(seq: number, sums: ReadonlyMap<string, ScopeFigures>): void {
    if (seq === this.lastSeq) return;
    this.lastSeq = seq;
    for (const [id, f] of sums) {
      let s = this.series.get(id);
      if (!s) this.series.set(id, (s = []));
      s.push(f.devices > 0 ? f.online / f.devices : Number.NaN);
      if (s.length > TREND_SAMPLES) s.splice(0, s.length - TREND_SAMPLES);
    }
  }

  of(id: string): readonly number[] {
    return this.series.get(id) ?? [];
  }
}

/** SVG points for a sparkline of width × height; the y range is at least half a point. */
export function sparkPoints(values: readonly number[], width: number, height: number): string {
  const known = values.filter((v) => !Number.isNaN(v));
  if (known.length < 2) return '';
  let lo = Math.min(...known);
  let hi = Math.max(...known);
  if (hi - lo < 0.005) {
    const mid = (hi + lo) / 2;
    lo = mid - 0.0025;
    hi = mid + 0.0025;
  }
  const step = width / (values.length - 1);
  return values
    .map((v, i) =>
      Number.isNaN(v)
        ? null
        : `${(i * step).toFixed(1)},${(height - ((v - lo) / (hi - lo)) * height).toFixed(1)}`,
    )
    .filter((p) => p !== null)
    .join(' ');
}
