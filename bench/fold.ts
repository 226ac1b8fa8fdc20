// Device reports folded into the cells per second on one core, with slot closes included.
import {
  Aggregator,
  STATUS_ABSENT,
  STATUS_DEGRADED,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from '../src/server/aggregate/aggregator.ts';
import { CELLS_PER_SITE, cellIndex } from '../src/server/aggregate/cells.ts';
import { rng } from '../src/server/core/random.ts';
import { loadSiteCatalog } from '../src/server/sites/catalog.ts';
import { ScopeIndex } from '../src/server/sites/scope-index.ts';
import { generateFleet } from '../src/server/simulator/fleet.ts';
import { BENCH_START } from './support/pipeline.ts';
import { heading, median, ms, num, table } from './support/report.ts';

const SLOT_MS = 1000;
const GRACE_MS = 100;
/** Reports per simulated second: one slot close per this many reports. */
const REPORTS_PER_SECOND = 1_000_000;
const TIMED_SECONDS = 4;
const ROUNDS = 5;
/** Share of reports stamped in the previous second, i.e. arriving within the grace period. */
const LATE_SHARE = 0.05;
const STATUS_MOVES = 2_000_000;
const TARGET = 1_000_000;

interface Reports {
  device: Int32Array;
  /** Event time relative to the start of the simulated second it arrives in. */
  offset: Int16Array;
  msgs: Uint8Array;
  bytesIn: Uint16Array;
  bytesOut: Uint16Array;
}

function makeReports(devices: number, count: number, seed: number): Reports {
  const random = rng(seed);
  const r: Reports = {
    device: new Int32Array(count),
    offset: new Int16Array(count),
    msgs: new Uint8Array(count),
    bytesIn: new Uint16Array(count),
    bytesOut: new Uint16Array(count),
  };
  for (let i = 0; i < count; i++) {
    r.device[i] = Math.floor(random() * devices);
    r.offset[i] =
      random() < LATE_SHARE ? -1 - Math.floor(random() * 50) : Math.floor(random() * SLOT_MS);
    r.msgs[i] = 1 + Math.floor(random() * 3);
    r.bytesIn[i] = 40 + Math.floor(random() * 400);
    r.bytesOut[i] = 10 + Math.floor(random() * 100);
  }
  return r;
}

/** Folds one simulated second of reports, then closes the slot the ticker would close. */
function foldSecond(agg: Aggregator, cellOf: Int32Array, r: Reports, second: number): number {
  const t = BENCH_START + second * SLOT_MS;
  const now = t + SLOT_MS - 1;
  const { device, offset, msgs, bytesIn, bytesOut } = r;
  for (let i = 0; i < device.length; i++) {
    agg.fold(cellOf[device[i]!]!, t + offset[i]!, msgs[i]!, bytesIn[i]!, bytesOut[i]!, now);
  }
  const began = performance.now();
  agg.closeThrough(t); // the previous slot, now past its grace period
  return performance.now() - began;
}

function benchFold(devices: number, cellOf: Int32Array, cells: number): string[] {
  const reports = makeReports(devices, REPORTS_PER_SECOND, devices);
  let closes = 0;
  const agg = new Aggregator(
    { cells, tickMs: 1000, graceMs: GRACE_MS, start: BENCH_START - SLOT_MS },
    { onTick: () => void closes++ },
  );
  let second = 0;
  foldSecond(agg, cellOf, reports, second++); // warm-up: let the JIT settle
  const rates: number[] = [];
  const closeMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const began = performance.now();
    for (let s = 0; s < TIMED_SECONDS; s++)
      closeMs.push(foldSecond(agg, cellOf, reports, second++));
    rates.push((TIMED_SECONDS * REPORTS_PER_SECOND) / ((performance.now() - began) / 1000));
  }
  if (agg.lateCount || agg.futureCount) {
    console.log(`(unexpected: ${agg.lateCount} late, ${agg.futureCount} future reports)`);
  }
  const rate = median(rates);
  return [
    num(devices),
    num(TIMED_SECONDS * REPORTS_PER_SECOND * ROUNDS),
    num(rate),
    `${num(Math.min(...rates))}–${num(Math.max(...rates))}`,
    ms(median(closeMs)),
    num(closes),
    rate >= TARGET ? 'met' : 'MISSED',
  ];
}

function benchStatus(devices: number, cellOf: Int32Array, cells: number): string[] {
  const random = rng(devices ^ 0x5a5a);
  const target = new Uint8Array(STATUS_MOVES);
  const device = new Int32Array(STATUS_MOVES);
  const codes = [STATUS_ABSENT, STATUS_ONLINE, STATUS_DEGRADED, STATUS_OFFLINE];
  for (let i = 0; i < STATUS_MOVES; i++) {
    device[i] = Math.floor(random() * devices);
    target[i] = codes[Math.floor(random() * codes.length)]!;
  }
  const agg = new Aggregator({ cells, tickMs: 1000, graceMs: GRACE_MS, start: BENCH_START });
  const status = new Uint8Array(devices);
  const run = () => {
    const began = performance.now();
    for (let i = 0; i < STATUS_MOVES; i++) {
      const d = device[i]!;
      const to = target[i]!;
      agg.applyStatus(cellOf[d]!, status[d]!, to, 1);
      status[d] = to;
    }
    return STATUS_MOVES / ((performance.now() - began) / 1000);
  };
  run(); // warm-up
  const rates = Array.from({ length: ROUNDS }, run);
  return [num(devices), num(STATUS_MOVES * rates.length), num(median(rates))];
}

const scopes = new ScopeIndex(loadSiteCatalog());
const cells = scopes.sites.length * CELLS_PER_SITE;
const foldRows = [
  [
    'devices',
    'reports timed',
    'reports/s (median)',
    'range',
    'close/slot',
    'slots closed',
    '≥ 1M/s',
  ],
];
const statusRows = [['devices', 'moves timed', 'moves/s (median)']];
for (const devices of [100_000, 1_000_000]) {
  const fleet = generateFleet(scopes.sites, devices, 0x6d657269);
  const cellOf = new Int32Array(devices);
  for (let d = 0; d < devices; d++) {
    cellOf[d] = cellIndex(fleet.site[d]!, fleet.tech[d]!, fleet.cls[d]!);
  }
  foldRows.push(benchFold(devices, cellOf, cells));
  statusRows.push(benchStatus(devices, cellOf, cells));
}

heading(
  'fold: device reports folded into the cells per second, one core',
  `${num(cells)} cells (${scopes.sites.length} sites × ${CELLS_PER_SITE}); ` +
    `${num(REPORTS_PER_SECOND)} reports per simulated second, ${LATE_SHARE * 100}% of them ` +
    `stamped in the previous (still open) slot; one closeThrough per simulated second, timed inside.`,
);
table(foldRows);
heading('applyStatus: device status moves per second, one core');
table(statusRows);
