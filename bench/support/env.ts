/**
 * A numeric benchmark setting from the environment, or `fallback` when unset. A value that is
 * not a number, or is below `min`, stops the benchmark before it starts, naming the variable.
 */
export function numberFromEnv(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  }
  return value;
}
