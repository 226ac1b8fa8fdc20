import { joinParts } from '../format/numbers.ts';
import { axisScale, formatOnAxis, type AxisScale } from './axis-format.ts';

/** The value axis of a chart, worked out here so that Recharts has nothing to measure. */
export interface ValueAxis {
  /** Round values from the axis's bottom to its top, both included. */
  ticks: number[];
  domain: [number, number];
  scale: AxisScale;
  /** The tick labels as drawn. */
  labels: string[];
  /** Pixels the widest label needs, with the gap to the plot. */
  width: number;
}

const STEPS = [1, 2, 2.5, 5, 10];

/**
 * About `count` round ticks covering [lo, hi]: a step of 1, 2, 2.5 or 5 × 10ⁿ (at least
 * `minStep`), the first tick at or below `lo` and the last at or above `hi`. A flat series gets
 * a span around its value.
 */
export function valueTicks(lo: number, hi: number, count = 4, minStep = 0): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    // Zero gets [0, 1]; another value 1 % either side.
    const pad = Math.abs(lo) * 0.01;
    if (pad === 0) hi = 1;
    else [lo, hi] = [lo - pad, hi + pad];
  }
  const raw = (hi - lo) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  // A whole-number minimum (counts) also keeps 2.5 out below ten.
  const fits = (s: number) =>
    s * power >= raw * (1 - 1e-9) && (minStep < 1 || Number.isInteger(s * power));
  const step = Math.max(minStep, (STEPS.find(fits) ?? 10) * power);
  // Multiples of the step, counted in whole steps so that 0.1 + 0.2 never shows.
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

let context: OffscreenCanvasRenderingContext2D | null | undefined;
let family = 'sans-serif';

/** The width of a label in the page's font, by a canvas (no layout of the page is read). */
function textWidth(text: string, fontPx: number): number {
  if (context === undefined) {
    context =
      typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1).getContext('2d');
    if (typeof document !== 'undefined') {
      family = getComputedStyle(document.documentElement).fontFamily || family;
    }
  }
  if (!context) return text.length * fontPx * 0.62; // no canvas (tests): a generous estimate
  context.font = `${fontPx}px ${family}`;
  return context.measureText(text).width;
}

/** Recharts puts a label this far from the plot (tick size 6 + margin 2), and a pixel to spare. */
const LABEL_GAP_PX = 9;

/** Ticks for a plot this many pixels high: two lines of type apart at least, at most 4. */
export function tickCountFor(plotPx: number, fontPx: number): number {
  return Math.max(2, Math.min(4, Math.floor(plotPx / (fontPx * 2.2))));
}

/**
 * The value axis for data from `lo` to `hi`: about `count` ticks, their labels in one unit with
 * the decimals their spacing needs, and its width. With `fromZero` the axis starts at 0.
 */
export function valueAxis(
  lo: number,
  hi: number,
  kind: AxisScale['kind'],
  fromZero: boolean,
  fontPx: number,
  count = 4,
): ValueAxis {
  const known = Number.isFinite(lo) && Number.isFinite(hi);
  // Counts step by whole devices at least: an axis of 0.5 devices reads as a fault.
  // Round in the unit shown: bits are the figures (bytes) times 8.
  const k = kind === 'bits' ? 8 : 1;
  const ticks = known
    ? valueTicks(
        (fromZero ? Math.min(0, lo) : lo) * k,
        hi * k,
        count,
        kind === 'count' ? 1 : 0,
      ).map((v) => v / k)
    : [0, 1];
  const bottom = ticks[0]!;
  const top = ticks.at(-1)!;
  const scale = axisScale(bottom, top, kind, ticks.length);
  const labels = ticks.map((v) => joinParts(formatOnAxis(scale, v)));
  const widest = Math.max(...labels.map((l) => textWidth(l, fontPx)));
  return {
    ticks,
    domain: [bottom, top],
    scale,
    labels,
    width: Math.ceil(widest) + LABEL_GAP_PX,
  };
}
