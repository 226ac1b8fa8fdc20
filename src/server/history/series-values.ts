import {
  CELLS_PER_SITE,
  CLASS_COUNT,
  TECH_COUNT,
  TRAFFIC_FIELDS,
  type CellCounts,
} from '../aggregate/cells.ts';
import { METRIC_COUNT } from '../storage/store.ts';
import type { SeriesCatalog } from './series-catalog.ts';

/** Per site: devices, online, degraded, msgs, bytes in, bytes out. */
const F = 6;
/** Per site prefix sums: totals (6), per technology (8 × 6), per class (8 × 6). */
const W = F * (1 + TECH_COUNT + CLASS_COUNT);

/**
 * Turns one period's cells (traffic in messages and bytes, counts at its end) into the values
 * of every series: [devices, online, degraded, offline, msgs, bytesIn, bytesOut] each, in
 * METRICS order. Scope sums come from prefix sums over the site order, so every series costs
 * one subtraction whatever its size.
 */
export class SeriesValues {
  readonly values: Float64Array;
  private readonly prefix: Float64Array;
  private readonly siteCount: number;

  constructor(private readonly catalog: SeriesCatalog) {
    this.values = new Float64Array(catalog.size * METRIC_COUNT);
    this.siteCount = catalog.nodes.filter((n) => n.kind === 'site').length;
    this.prefix = new Float64Array((this.siteCount + 1) * W);
  }

  /** Computes all series values into `values` from one period's cells. */
  compute(traffic: Float64Array, counts: CellCounts): Float64Array {
    const { devices, online, degraded } = counts;
    const p = this.prefix;
    const v = this.values;
    for (let s = 0; s < this.siteCount; s++) {
      const row = (s + 1) * W;
      const prev = s * W;
      for (let k = 0; k < W; k++) p[row + k] = p[prev + k]!;
      const base = s * CELLS_PER_SITE;
      for (let t = 0; t < TECH_COUNT; t++) {
        for (let c = 0; c < CLASS_COUNT; c++) {
          const cell = base + t * CLASS_COUNT + c;
          const d = devices[cell]!;
          const j = cell * TRAFFIC_FIELDS;
          const m = traffic[j]!;
          if (d === 0 && m === 0) continue;
          const o = online[cell]!;
          const g = degraded[cell]!;
          const bi = traffic[j + 1]!;
          const bo = traffic[j + 2]!;
          bump(p, row, d, o, g, m, bi, bo);
          bump(p, row + F * (1 + t), d, o, g, m, bi, bo);
          bump(p, row + F * (1 + TECH_COUNT + c), d, o, g, m, bi, bo);
        }
      }
    }
    const cat = this.catalog;
    for (let i = 0; i < cat.scopeCount; i++) {
      const n = cat.nodes[i]!;
      this.put(i, n.siteStart, n.siteStart + n.siteCount, 0);
    }
    cat.aggregateNodes.forEach((n, a) => {
      const from = n.siteStart;
      const to = n.siteStart + n.siteCount;
      for (let k = 0; k < TECH_COUNT + CLASS_COUNT; k++) {
        this.put(cat.filterBase + a * 16 + k, from, to, F * (1 + k));
      }
    });
    return v;
  }

  private put(series: number, fromSite: number, toSite: number, offset: number): void {
    const p = this.prefix;
    const hi = toSite * W + offset;
    const lo = fromSite * W + offset;
    const o = series * METRIC_COUNT;
    const v = this.values;
    const d = p[hi]! - p[lo]!;
    const on = p[hi + 1]! - p[lo + 1]!;
    const g = p[hi + 2]! - p[lo + 2]!;
    v[o] = d;
    v[o + 1] = on;
    v[o + 2] = g;
    v[o + 3] = d - on - g;
    v[o + 4] = p[hi + 3]! - p[lo + 3]!;
    v[o + 5] = p[hi + 4]! - p[lo + 4]!;
    v[o + 6] = p[hi + 5]! - p[lo + 5]!;
  }
}

function bump(
  p: Float64Array,
  at: number,
  d: number,
  o: number,
  g: number,
  m: number,
  bi: number,
  bo: number,
): void {
  p[at]! += d;
  p[at + 1]! += o;
  p[at + 2]! += g;
  p[at + 3]! += m;
  p[at + 4]! += bi;
  p[at + 5]! += bo;
}
