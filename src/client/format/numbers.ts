/**
 * Number formats for figures read across a room: three significant figures at most, decimal
 * units (1 kB = 1,000 B), and the exact value for titles and screen readers.
 */

/** A formatted figure split so that the unit can be styled apart from the number. */
export interface FigureParts {
  value: string;
  unit: string;
}

/** No-break space: "39.1 bn" must never wrap between the number and its unit. */
export const NBSP = '\u00a0';
const DASH = '—';

const COUNT_UNITS = ['', 'k', 'M', 'bn', 'tn'] as const;
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;
const BIT_UNITS = ['b', 'kb', 'Mb', 'Gb', 'Tb', 'Pb', 'Eb'] as const;

export type RateUnit = 'bytes' | 'bits';

/** How many decimals a mantissa gets: one below 100 ("39.1"), none from 100 ("380"). */
function decimalsFor(mantissa: number, step: number): number {
  if (step === 0 && Number.isInteger(mantissa)) return 0;
  return Number(mantissa.toFixed(1)) < 100 ? 1 : 0;
}

/** Scales `n` by 1000 per unit step and rounds; a mantissa that rounds up to 1000 moves on. */
function scaled(n: number, units: readonly string[]): FigureParts {
  if (!Number.isFinite(n)) return { value: DASH, unit: '' };
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let step = 0;
  while (v >= 1000 && step < units.length - 1) {
    v /= 1000;
    step++;
  }
  let decimals = decimalsFor(v, step);
  if (Number(v.toFixed(decimals)) >= 1000 && step < units.length - 1) {
    v /= 1000;
    step++;
    decimals = 1;
  }
  const text = v.toFixed(decimals);
  return { value: Number(text) === 0 ? '0' : sign + text, unit: units[step] ?? '' };
}

export function joinParts({ value, unit }: FigureParts): string {
  return unit ? `${value}${NBSP}${unit}` : value;
}

/** A count or plain rate: 999 → "999", 1,500,000 → "1.5 M", 39,100,000,000 → "39.1 bn". */
export function countParts(n: number): FigureParts {
  return scaled(n, COUNT_UNITS);
}

export function formatCount(n: number): string {
  return joinParts(countParts(n));
}

/** A data rate given in bytes per second, shown in B/s or (×8) in b/s. */
export function rateParts(bytesPerSecond: number, unit: RateUnit = 'bytes'): FigureParts {
  const parts =
    unit === 'bits' ? scaled(bytesPerSecond * 8, BIT_UNITS) : scaled(bytesPerSecond, BYTE_UNITS);
  return parts.unit ? { value: parts.value, unit: `${parts.unit}/s` } : parts;
}

export function formatRate(bytesPerSecond: number, unit: RateUnit = 'bytes'): string {
  return joinParts(rateParts(bytesPerSecond, unit));
}

/**
 * A share as a percentage with one decimal. It never rounds up to 100 % (or down to 0 %)
 * when the share is not whole: 99.97 % of devices online is shown as 99.9 %, not 100 %.
 */
export function percentParts(part: number, whole: number): FigureParts {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) {
    return { value: DASH, unit: '' };
  }
  const pct = (part / whole) * 100;
  let text = pct.toFixed(1);
  if (pct < 100 && Number(text) >= 100) text = '99.9';
  else if (pct > 0 && Number(text) === 0) text = '<0.1';
  return { value: text, unit: '%' };
}

export function formatPercent(part: number, whole: number): string {
  return joinParts(percentParts(part, whole));
}

const exact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** The exact figure with digit grouping, for titles and aria-labels: "39,123,456,789". */
export function formatExact(n: number): string {
  return Number.isFinite(n) ? exact.format(n) : 'no data';
}

/** The exact data rate for titles and aria-labels: "380,123,456 bytes per second". */
export function formatExactRate(bytesPerSecond: number, unit: RateUnit = 'bytes'): string {
  if (!Number.isFinite(bytesPerSecond)) return 'no data';
  return unit === 'bits'
    ? `${exact.format(bytesPerSecond * 8)} bits per second`
    : `${exact.format(bytesPerSecond)} bytes per second`;
}

/** An amount of data: bytes (or ×8 bits), decimal units: "4.2 TB". */
export function amountParts(bytes: number, unit: RateUnit = 'bytes'): FigureParts {
  return unit === 'bits' ? scaled(bytes * 8, BIT_UNITS) : scaled(bytes, BYTE_UNITS);
}
