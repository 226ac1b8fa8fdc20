// Size of one encoded global tick (every site) and the time buildTick takes for it.
import type { TickPayload } from '../src/protocol/live.ts';
import { buildTick } from '../src/server/live/rollup.ts';
import { viewSpec } from '../src/server/live/view-spec.ts';
import { buildPipeline } from './support/pipeline.ts';
import {
  collectGarbage,
  heading,
  kb,
  median,
  ms,
  num,
  percentile,
  table,
} from './support/report.ts';

const SLOTS = 5;
const BUILDS = 300;
const TARGET_BYTES = 32 * 1024;

/**
 * What socket.io puts on the wire for `emit('tick', payload)`: one text frame
 * `451-["tick",{…,"data":{"_placeholder":true,"num":0}}]` (engine.io type 4, socket.io type 5 =
 * binary event with 1 attachment) and one binary frame with the site figures.
 */
function wireSize(tick: TickPayload): { text: number; binary: number } {
  const placeholder = { ...tick, sites: { ...tick.sites, data: { _placeholder: true, num: 0 } } };
  const text = `451-${JSON.stringify(['tick', placeholder])}`;
  return { text: Buffer.byteLength(text), binary: tick.sites.data.byteLength };
}

const cases: [string, Record<string, string>][] = [
  ['default (100,000 devices)', {}],
  ['1,000,000 devices', { SIM_DEVICES: '1000000' }],
  ['planet (100,000 × weight)', { SIM_SCENARIO: 'planet' }],
];

// Devices counted: the simulator keeps a few retired devices absent until their replacement.
const sizeRows = [
  ['fleet', 'devices counted', 'sites', 'JSON part', 'binary part', 'total', 'target'],
];
const timeRows = [['fleet', 'buildTick median', 'buildTick p95', 'encode JSON part median']];
for (const [name, env] of cases) {
  const { pipeline, clock, scopes } = buildPipeline(env);
  clock.advance(SLOTS * 1000);
  const latest = pipeline.latest()!;
  const spec = viewSpec(scopes.resolve('global')!, undefined);
  const tickMs = pipeline.aggregator.tickMs;
  const build = () => buildTick(spec, latest.counts, latest.traffic, latest.ts, tickMs, true);
  const tick = build();
  const { text, binary } = wireSize(tick);
  const total = text + binary;
  const isDefault = Object.keys(env).length === 0;
  sizeRows.push([
    name,
    num(tick.kpis.devices),
    num(tick.sites.count),
    kb(text),
    kb(binary),
    `${kb(total)} (${num(total)} B)`,
    isDefault ? `≤ 32 kB (${total <= TARGET_BYTES ? 'met' : 'MISSED'})` : '—',
  ]);
  const buildMs: number[] = [];
  const encodeMs: number[] = [];
  for (let i = 0; i < BUILDS; i++) {
    let t = performance.now();
    const built = build();
    buildMs.push(performance.now() - t);
    t = performance.now();
    wireSize(built); // what socket.io does once per room: placeholder + JSON.stringify
    encodeMs.push(performance.now() - t);
  }
  timeRows.push([name, ms(median(buildMs)), ms(percentile(buildMs, 95)), ms(median(encodeMs))]);
  pipeline.stop();
  collectGarbage();
}

heading(
  'payload: one encoded global tick',
  `Built with buildTick after ${SLOTS} simulated slots of the real pipeline; sizes are the ` +
    'socket.io/engine.io payloads without WebSocket framing (a few bytes per frame) or compression.',
);
table(sizeRows);
heading('payload: time to build the global tick', `${BUILDS} builds each.`);
table(timeRows);
