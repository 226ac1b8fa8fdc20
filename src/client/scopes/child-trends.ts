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
