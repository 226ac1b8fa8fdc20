// Small helpers for printing benchmark figures; no timing assertions anywhere.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** A number with thousands separators and a fixed number of decimals. */
export function num(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

export const mb = (bytes: number): string => `${num(bytes / 1024 / 1024, 1)} MB`;
export const kb = (bytes: number): string => `${num(bytes / 1024, 1)} kB`;
export const ms = (value: number): string => `${num(value, value < 10 ? 2 : 1)} ms`;

/** Prints rows as an aligned plain-text table (first row is the header). */
export function table(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

export function heading(title: string, note?: string): void {
  console.log(`\n## ${title}`);
  if (note) console.log(note);
  console.log('');
}

/** Forces a full collection when node runs with --expose-gc; says whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}
