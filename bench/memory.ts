// RSS and heap of the real pipeline (simulator + aggregator) at a given fleet size, and the time
// of each simulated second. Run with --expose-gc so the figures are taken after a full GC.
// Usage: node --expose-gc --import tsx bench/memory.ts [devices]
import { loadSiteCatalog } from '../src/server/sites/catalog.ts';
import { buildPipeline } from './support/pipeline.ts';
import {
  collectGarbage,
  heading,
  mb,
  median,
  ms,
  num,
  percentile,
  table,
} from './support/report.ts';

const SECONDS = 60;
/** Further seconds driven by hand to split a step into its parts. */
const SPLIT_SECONDS = 20;
const RSS_TARGET = 300 * 1024 * 1024;
const devices = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(devices) || devices < 1)
  throw new Error(`bad device count ${process.argv[2]}`);

function snapshot() {
  collectGarbage();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, buffers: m.arrayBuffers };
}

loadSiteCatalog(); // cached: the baseline then includes the catalog the pipeline shares
const gcForced = collectGarbage();
const before = snapshot();
const { pipeline, clock, buildMs, simulatorStartMs } = buildPipeline({
  SIM_DEVICES: String(devices),
});
const sim = pipeline.simulator!;
const afterStart = snapshot();

const stepMs: number[] = [];
const changes: number[] = [];
const firstSeq = pipeline.lastTick?.seq ?? 0;
for (let s = 0; s < SECONDS; s++) {
  const changed = sim.statusChanges;
  const began = performance.now();
  clock.advance(1000); // the ticker's step: status changes, traffic, slot close
  stepMs.push(performance.now() - began);
  changes.push(sim.statusChanges - changed);
}
const ticks = (pipeline.lastTick?.seq ?? 0) - firstSeq;
const after = snapshot();

// The same step by hand, split: status changes up to just before the slot end, then the rest
// of advanceTo (the slot's traffic), then closing the slot (which emits the tick).
pipeline.stop();
const agg = pipeline.aggregator;
const split = { status: [] as number[], traffic: [] as number[], close: [] as number[] };
for (let s = 0; s < SPLIT_SECONDS; s++) {
  const end = agg.openFrom + 1000;
  let t = performance.now();
  sim.advanceTo(end - 1);
  split.status.push(performance.now() - t);
  t = performance.now();
  sim.advanceTo(end);
  split.traffic.push(performance.now() - t);
  t = performance.now();
  agg.closeThrough(end);
  split.close.push(performance.now() - t);
}
const peakRss = process.resourceUsage().maxRSS * 1024;

heading(
  `memory: pipeline at ${num(devices)} devices, ${SECONDS} simulated seconds`,
  gcForced
    ? 'Figures taken after a forced full GC (--expose-gc).'
    : 'No --expose-gc: figures include uncollected garbage.',
);
table([
  ['when', 'RSS', 'JS heap used', 'array buffers'],
  [
    'before the pipeline (node, tsx, modules, site catalog)',
    mb(before.rss),
    mb(before.heap),
    mb(before.buffers),
  ],
  ['after simulator start', mb(afterStart.rss), mb(afterStart.heap), mb(afterStart.buffers)],
  [`after ${SECONDS} simulated seconds`, mb(after.rss), mb(after.heap), mb(after.buffers)],
]);
console.log('');
table([
  ['figure', 'value', 'target'],
  [
    `RSS after ${SECONDS} s`,
    mb(after.rss),
    devices === 1_000_000 ? `≤ 300 MB (${after.rss <= RSS_TARGET ? 'met' : 'MISSED'})` : '—',
  ],
  ['peak RSS (process lifetime)', mb(peakRss), '—'],
  ['pipeline build (fleet + start + first tick)', ms(buildMs), '—'],
  [
    'simulator start (its own log figure)',
    simulatorStartMs === null ? '?' : ms(simulatorStartMs),
    '—',
  ],
  ['time per simulated second, median', ms(median(stepMs)), '—'],
  ['time per simulated second, p95', ms(percentile(stepMs, 95)), '—'],
  ['time per simulated second, max', ms(Math.max(...stepMs)), '—'],
  ['status changes per simulated second, median', num(median(changes)), '—'],
  ['status changes per simulated second, max', num(Math.max(...changes)), '—'],
  ['ticks closed', num(ticks), `${SECONDS}`],
]);
console.log('');
console.log(`One step split into its parts (median of ${SPLIT_SECONDS} more simulated seconds):`);
table([
  ['part', 'median', 'max'],
  ['status changes (heap + incidents)', ms(median(split.status)), ms(Math.max(...split.status))],
  [
    'traffic of the slot (all non-empty cells)',
    ms(median(split.traffic)),
    ms(Math.max(...split.traffic)),
  ],
  ['close the slot (sum into tick, clear)', ms(median(split.close)), ms(Math.max(...split.close))],
]);
