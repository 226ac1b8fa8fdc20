import { memo } from 'react';

/**
 * SVG points for a sparkline of width × height (NaN: no data, the line skips it). The y range
 * is at least `minSpan`, so a nearly flat figure does not turn its noise into mountains.
 */
export function sparkPoints(
  values: readonly number[],
  width: number,
  height: number,
  minSpan = 0.005,
): string {
  const known = values.filter((v) => !Number.isNaN(v));
  if (known.length < 2) return '';
  let lo = Math.min(...known);
  let hi = Math.max(...known);
  if (hi - lo < minSpan) {
    const mid = (hi + lo) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
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

interface SparklineProps {
  values: readonly number[];
  /** What the line shows, for screen readers ("online share, last hour: 94 % → 95 %"). */
  label: string;
  className?: string;
  minSpan?: number;
}

/** The same figures, one by one (a new array each tick often holds the same hour). */
export function sameValues(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** A small trend line; draws nothing until it has two points. */
export const Sparkline = memo(
  function Sparkline({ values, label, className, minSpan }: SparklineProps) {
    const points = sparkPoints(values, 96, 22, minSpan);
    return (
      <svg
        className={className}
        viewBox="0 0 96 22"
        preserveAspectRatio="none"
        role="img"
        aria-label={label}
      >
        {points ? <polyline points={points} /> : null}
      </svg>
    );
  },
  (a, b) =>
    a.label === b.label &&
    a.className === b.className &&
    a.minSpan === b.minSpan &&
    sameValues(a.values, b.values),
);
