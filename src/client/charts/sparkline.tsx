import { memo } from 'react';

/**
 * SVG points for a sparkline of width × height, one string per run of known values: NaN is no
 * data, and the line breaks there rather than bridging the hole with a straight segment. The
 * y range is at least `minSpan`, so a nearly flat figure does not turn its noise into mountains.
 */
export function sparkRuns(
  values: readonly number[],
  width: number,
  height: number,
  minSpan = 0.005,
): string[] {
  const known = values.filter((v) => !Number.isNaN(v));
  if (known.length < 2) return [];
  let lo = Math.min(...known);
  let hi = Math.max(...known);
  if (hi - lo < minSpan) {
    const mid = (hi + lo) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
  }
  const step = width / (values.length - 1);
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      if (run.length > 0) runs.push(run.join(' '));
      run = [];
      return;
    }
    run.push(`${(i * step).toFixed(1)},${(height - ((v - lo) / (hi - lo)) * height).toFixed(1)}`);
  });
  if (run.length > 0) runs.push(run.join(' '));
  return runs;
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
    const runs = sparkRuns(values, 96, 22, minSpan);
    return (
      <svg
        className={className}
        viewBox="0 0 96 22"
        preserveAspectRatio="none"
        role="img"
        aria-label={label}
      >
        {runs.map((points, i) => (
          <polyline key={i} points={points} />
        ))}
      </svg>
    );
  },
  (a, b) =>
    a.label === b.label &&
    a.className === b.className &&
    a.minSpan === b.minSpan &&
    sameValues(a.values, b.values),
);
