import { pino } from 'pino';
import { ManualClock } from '../../src/server/core/clock.ts';
import { loadConfig } from '../../src/server/core/config.ts';
import { Pipeline } from '../../src/server/pipeline.ts';
import { loadSiteCatalog } from '../../src/server/sites/catalog.ts';
import { ScopeIndex } from '../../src/server/sites/scope-index.ts';

/** A fixed start (a whole second, 2027-01-15 08:00 UTC) so runs are comparable. */
export const BENCH_START = 1_800_000_000_000;

export interface BenchPipeline {
  pipeline: Pipeline;
  clock: ManualClock;
  scopes: ScopeIndex;
  /** Wall time of the Pipeline constructor (fleet, first evaluation, first tick). */
  buildMs: number;
  /** The simulator's own start time, as it logs it in 'simulator started'. */
  simulatorStartMs: number | null;
}

/**
 * Builds the real Pipeline on a ManualClock, as buildServer does, and starts its ticker; then
 * `clock.advance(ms)` runs the same steps the server runs on the wall clock.
 */
export function buildPipeline(env: Record<string, string>, start = BENCH_START): BenchPipeline {
  const config = loadConfig(env);
  const scopes = new ScopeIndex(loadSiteCatalog());
  const clock = new ManualClock(start);
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const began = performance.now();
  const pipeline = new Pipeline(config, scopes, clock, logger);
  const buildMs = performance.now() - began;
  const started = lines
    .map((l) => JSON.parse(l) as { msg?: string; ms?: number })
    .find((l) => l.msg === 'simulator started');
  pipeline.start();
  // The ticker runs each slot graceMs after it ends; step past that once so that every later
  // advance of one slot runs exactly one step.
  clock.advance(config.tickGraceMs);
  return { pipeline, clock, scopes, buildMs, simulatorStartMs: started?.ms ?? null };
}
