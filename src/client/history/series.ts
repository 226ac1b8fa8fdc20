// The charts' series: history seeds it, ticks extend it, a history read fills a gap. Points sit
// on a fixed grid of `stepMs` buckets keyed by their start time, so a timestamp appears at most
// once whatever arrives twice, and the length is bounded by the window.
import type { HistoryResponse } from '../../protocol/api.ts';
import type { TickPayload } from '../../protocol/live.ts';

import { SERIES_METRICS, type SeriesMetric } from '../../protocol/metrics.ts';

export { SERIES_METRICS, type SeriesMetric } from '../../protocol/metrics.ts';

export interface SeriesPoint {
  /** Start of the bucket, epoch ms (a tick covering [ts - tickMs, ts) lands in its bucket). */
  readonly t: number;
  /** Mean of each figure over the bucket; null where there is no data (the line breaks). */
  readonly online: number | null;
  readonly devices: number | null;
  readonly bytesInRate: number | null;
  readonly bytesOutRate: number | null;
  readonly degraded: number | null;
  readonly msgRate: number | null;
  /** How many ticks' worth of data the mean stands for, to keep averaging as ticks arrive. */
  readonly weight: number;
}

export interface Series {
  readonly stepMs: number;
  readonly windowMs: number;
  /** Sorted by t, unique, on the step grid, covering at most windowMs. */
  readonly points: readonly SeriesPoint[];
}

type Values = Record<SeriesMetric, number | null>;

export const bucketOf = (t: number, stepMs: number): number => Math.floor(t / stepMs) * stepMs;

/** Most points a series of this window and step holds. */
export const capacity = (windowMs: number, stepMs: number): number =>
  Math.ceil(windowMs / stepMs) + 1;

export function emptySeries(stepMs: number, windowMs: number): Series {
  return { stepMs, windowMs, points: [] };
}

const nullPoint = (t: number): SeriesPoint => ({
  t,
  online: null,
  devices: null,
  bytesInRate: null,
  bytesOutRate: null,
  degraded: null,
  msgRate: null,
  weight: 0,
});

function hasData(p: Values): boolean {
  return SERIES_METRICS.some((m) => p[m] !== null);
}

/** Weighted mean of two partial figures of one bucket. */
function blend(a: SeriesPoint, b: Values, weight: number, t: number): SeriesPoint {
  const total = a.weight + weight;
  const mix = (m: SeriesMetric): number | null => {
    const x = a[m];
    const y = b[m];
    if (x === null || a.weight === 0) return y;
    if (y === null) return x;
    return (x * a.weight + y * weight) / total;
  };
  return {
    t,
    online: mix('online'),
    devices: mix('devices'),
    bytesInRate: mix('bytesInRate'),
    bytesOutRate: mix('bytesOutRate'),
    degraded: mix('degraded'),
    msgRate: mix('msgRate'),
    weight: total,
  };
}

/** Drops what fell out of the window behind the newest point. */
function trim(points: SeriesPoint[], windowMs: number, stepMs: number): SeriesPoint[] {
  const last = points.at(-1);
  if (!last) return points;
  const oldest = last.t - (capacity(windowMs, stepMs) - 1) * stepMs;
  let i = 0;
  while (i < points.length && points[i]!.t < oldest) i++;
  return i === 0 ? points : points.slice(i);
}

/**
 * Converts a history answer into points on the series' grid: buckets of the same step map one
 * to one; finer buckets are averaged into the coarser grid.
 */
export function historyPoints(res: HistoryResponse, stepMs: number, tickMs: number): SeriesPoint[] {
  const byT = new Map<number, SeriesPoint>();
  res.t.forEach((start, i) => {
    const t = bucketOf(start, stepMs);
    const values = Object.fromEntries(
      SERIES_METRICS.map((m) => [m, res.series[m]?.[i] ?? null]),
    ) as Values;
    const covered = (res.completeness[i] ?? 0) * res.stepMs;
    const weight = hasData(values) ? Math.max(1, Math.round(covered / tickMs)) : 0;
    const prev = byT.get(t) ?? nullPoint(t);
    byT.set(t, weight > 0 ? blend(prev, values, weight, t) : prev);
  });
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

/** A series seeded from a history answer (its step becomes the series' step). */
export function seedFromHistory(res: HistoryResponse, windowMs: number, tickMs: number): Series {
  const stepMs = res.stepMs;
  return { stepMs, windowMs, points: trim(historyPoints(res, stepMs, tickMs), windowMs, stepMs) };
}

/**
 * Merges history into the series: a bucket history covers at least as well takes history's
 * figures (the server saw every tick, the browser may not have); others keep what they had.
 * The result has each timestamp once.
 */
export function mergeHistory(series: Series, res: HistoryResponse, tickMs: number): Series {
  const newest = series.points.at(-1)?.t ?? Infinity;
  // Ticks lead: a history bucket past the newest tick is one no tick has closed yet.
  const incoming = historyPoints(res, series.stepMs, tickMs).filter((p) => p.t <= newest);
  if (incoming.length === 0) return series;
  const byT = new Map<number, SeriesPoint>();
  for (const p of series.points) byT.set(p.t, p);
  for (const p of incoming) {
    // History that covers a bucket at least as well as what is on screen wins; a bucket the
    // server has only partly written yet (still back-filling) does not erase ticks shown.
    const shown = byT.get(p.t);
    if (!shown || p.weight >= shown.weight) byT.set(p.t, p);
  }
  const points = fillHoles(
    [...byT.values()].sort((a, b) => a.t - b.t),
    series.stepMs,
  );
  return { ...series, points: trim(points, series.windowMs, series.stepMs) };
}

/** Inserts empty points where the grid skips buckets, so a missing stretch shows as a break. */
function fillHoles(points: SeriesPoint[], stepMs: number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const p of points) {
    const prev = out.at(-1);
    if (prev) for (let t = prev.t + stepMs; t < p.t; t += stepMs) out.push(nullPoint(t));
    out.push(p);
  }
  return out;
}

/** The figures of a tick, as series values. */
// A figure that is not known (NaN: traffic under a status filter) is no data, not a point.
const known = (v: number): number | null => (Number.isFinite(v) ? v : null);

function tickValues(tick: TickPayload): Values {
  const { online, devices, bytesInRate, bytesOutRate, degraded, msgRate } = tick.kpis;
  return {
    online,
    devices,
    bytesInRate: known(bytesInRate),
    bytesOutRate: known(bytesOutRate),
    degraded,
    msgRate: known(msgRate),
  };
}

/**
 * Adds one tick. Its period [ts - tickMs, ts) lands in the bucket that holds its start; a tick
 * of a bucket that already has data is averaged into it. Buckets skipped since the newest point
 * become empty points (a visible gap until history fills it).
 */
export function appendTick(series: Series, tick: TickPayload): Series {
  const { stepMs, windowMs } = series;
  const t = bucketOf(tick.ts - tick.tickMs, stepMs);
  const points = series.points;
  const last = points.at(-1);
  const values = tickValues(tick);
  if (!last || t > last.t) {
    const next = points.slice();
    if (last) {
      // A jump longer than the window leaves nothing worth keeping.
      const from = Math.max(last.t + stepMs, t - (capacity(windowMs, stepMs) - 1) * stepMs);
      for (let b = from; b < t; b += stepMs) next.push(nullPoint(b));
    }
    next.push(blend(nullPoint(t), values, 1, t));
    return { ...series, points: trim(next, windowMs, stepMs) };
  }
  // A tick of a bucket already on screen (the current one, or a late one): average it in.
  const i = points.findLastIndex((p) => p.t === t);
  if (i < 0) return series; // older than the window, or off the grid: nothing to add
  const next = points.slice();
  next[i] = blend(points[i]!, values, 1, t);
  return { ...series, points: next };
}

/** Empty buckets between the first and last point: 0 when the line has no hole. */
export function countGaps(series: Series): number {
  let gaps = 0;
  for (const p of series.points) if (p.weight === 0) gaps++;
  return gaps;
}
