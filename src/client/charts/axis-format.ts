import { countParts, rateParts, type FigureParts, type RateUnit } from '../format/numbers.ts';

/** How an axis writes its labels: values are divided by `unitStep`, shown with `decimals`. */
export interface AxisScale {
  kind: 'count' | RateUnit;
  /** 8 for bits (the figures are bytes), else 1. */
  scale: number;
  unitStep: number;
  decimals: number;
  unit: string;
}

/**
 * Axis labels need as many decimals as the tick spacing: with 3 significant figures an axis
 * from 1,540 to 1,570 would read "1.5 k, 1.6 k, 1.6 k, 1.6 k". The unit follows the largest
 * value; the decimals follow the spacing of about `ticks` ticks over [min, max].
 */
export function axisScale(
  min: number,
  max: number,
  kind: 'count' | RateUnit,
  ticks = 4,
): AxisScale {
  const scale = kind === 'bits' ? 8 : 1;
  const top = Math.max(Math.abs(min), Math.abs(max)) * scale;
  const unitStep = top >= 1 ? 1000 ** Math.floor(Math.log10(top) / 3) : 1;
  const spacing = ((max - min) * scale) / Math.max(1, ticks - 1) / unitStep;
  const decimals = spacing > 0 ? Math.min(3, Math.max(0, Math.ceil(-Math.log10(spacing)))) : 0;
  const base = kind === 'count' ? countParts : (v: number) => rateParts(v, kind);
  // Every label in the unit of the largest value: "500 kB/s" next to "75 MB/s" reads as more.
  const { unit } = base(unitStep / scale);
  return { kind, scale, unitStep, decimals, unit };
}

/**
 * The label of `v` on an axis of this scale. The chart picks its own round ticks (a step of
 * 2,500 over 93–100 k), so a tick the scale's decimals cannot write exactly gets the ones it
 * needs, up to 3: "97.5 k", never a rounded "98 k" whose grid line sits 500 devices lower.
 */
export function formatOnAxis(
  { scale, unitStep, decimals, unit }: AxisScale,
  v: number,
): FigureParts {
  const x = (v * scale) / unitStep;
  let d = decimals;
  while (d < 3 && Math.abs(Number(x.toFixed(d)) - x) > 1e-9 * Math.max(1, Math.abs(x))) d++;
  return { value: x.toFixed(d), unit };
}

/** `axisScale` as a formatter. */
export function axisFormatter(
  min: number,
  max: number,
  kind: 'count' | RateUnit,
  ticks = 4,
): (v: number) => FigureParts {
  const s = axisScale(min, max, kind, ticks);
  return (v: number) => formatOnAxis(s, v);
}
