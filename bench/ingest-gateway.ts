// Device records per second through gateway batches on one core, no broker: the MQTT source's
// own message handler (topic, JSON.parse, fast-parse.ts with zod for what it rejects,
// IngestEngine.handle) on a real Aggregator, fed realistic 500-record batches from the load
// generator's fleet driver. A zod-only copy of the handler (what it did before fast-parse.ts was
// wired in) runs beside it for comparison.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ingestRecordSchema, metaBodySchema } from '../src/protocol/ingest.ts';
import { Aggregator } from '../src/server/aggregate/aggregator.ts';
import { CELLS_PER_SITE } from '../src/server/aggregate/cells.ts';
import { ManualClock } from '../src/server/core/clock.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { HistoryService } from '../src/server/history/service.ts';
import { IngestService, type IngestServiceOptions } from '../src/server/ingest/ingest-service.ts';
import { fastIngestRecord } from '../src/server/ingest/fast-parse.ts';
import { MqttSource } from '../src/server/ingest/mqtt-source.ts';
import { describeIssue, parseJson } from '../src/server/ingest/parse.ts';
import { createMetrics } from '../src/server/metrics/metrics.ts';
import { Pipeline } from '../src/server/pipeline.ts';
import { loadSiteCatalog } from '../src/server/sites/catalog.ts';
import { ScopeIndex } from '../src/server/sites/scope-index.ts';
import { openSqliteDeviceStore } from '../src/server/storage/sqlite-device-store.ts';
import { openSqliteStore } from '../src/server/storage/sqlite-store.ts';
import { FleetDriver } from '../scripts/simulate/fleet-driver.ts';
import { gatewayBatches, metaRecords, type Batch } from './support/ingest-payloads.ts';
import { BENCH_START } from './support/pipeline.ts';
import { loadAverage } from './support/proc.ts';
import { collectGarbage, heading, median, mb, num, table } from './support/report.ts';
import { numberFromEnv } from './support/env.ts';

const DEVICES = Number(process.argv[2] ?? 200_000);
const GATEWAY_SIZE = 500;
const INTERVAL_S = 10;
/** The first interval is every device's first report (its baseline); two more warm the JIT. */
const WARM_S = INTERVAL_S + 2;
const TIMED_S = 20;
/** Rounds of the engine paths (each with a fresh engine); the slow server path gets fewer. */
const ROUNDS = numberFromEnv('BENCH_ROUNDS', 3, 1);
const SERVER_ROUNDS = numberFromEnv('BENCH_ROUNDS', 2, 1);
/** `bare`, `bare-zod`, `server` or `server-zod` runs only that path (for --cpu-prof). */
const ONLY = process.argv[3];
const PREFIX = 'meridian/v1';
const TARGET = 500_000;

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-ingest-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

interface Harness {
  label: string;
  /** What handles one MQTT message: the source's own handler, or its former zod-only path. */
  handle: (topic: string, payload: Buffer) => void;
  ingest: IngestService;
  /** Moves the clock to t: slots close, and the service's timers (sweep, save) run. */
  moveTo(t: number): void;
  /** Durations (ms) and rows of the device store's counter saves (chunks of a save every 5 s). */
  saves: { ms: number; rows: number }[];
  close(): void;
}

/** The real SQLite device store, with its counter saves timed. */
function timedDeviceStore(path: string, saves: Harness['saves']) {
  const store = openSqliteDeviceStore(path);
  const save = store.saveIngestState.bind(store);
  store.saveIngestState = (rows) => {
    const began = performance.now();
    save(rows);
    saves.push({ ms: performance.now() - began, rows: rows.length });
  };
  return store;
}

function source(ingest: IngestService): MqttSource {
  return new MqttSource({
    url: 'mqtt://127.0.0.1:1',
    topicPrefix: PREFIX,
    clientId: 'bench',
    qos: 1,
    shareGroup: null,
    maxMessageBytes: 1024 * 1024,
    engine: ingest.engine,
    stats: ingest.stats,
    logger: silent,
  });
}

/**
 * MqttSource.onMessage (fast-parse.ts, zod for what it rejects), or with `zod` what its
 * gateway-batch branch did before: every record through the zod schema.
 */
function handler(ingest: IngestService, zod: boolean): Harness['handle'] {
  const mqtt = source(ingest);
  if (!zod) return (topic, payload) => mqtt.onMessage(topic, payload);
  const { engine, stats } = ingest;
  return (topic, payload) => {
    const json = parseJson(payload);
    if (!json.ok || !Array.isArray(json.value)) throw new Error('bench batches are arrays');
    for (const item of json.value) {
      const parsed = ingestRecordSchema.safeParse(item);
      if (parsed.success) engine.handle(parsed.data, 'mqtt', topic);
      else stats.drop('mqtt', 'invalid', topic, describeIssue(parsed.error), item);
    }
  };
}

function register(ingest: IngestService, metas: ReturnType<typeof metaRecords>): void {
  for (const m of metas) ingest.engine.meta(m.device, metaBodySchema.parse(m.body), 'mqtt');
}

/** The engine on a bare Aggregator: what the brief calls the ingest path. */
function bareHarness(n: number, zod: boolean): Harness {
  const scopes = new ScopeIndex(loadSiteCatalog(), { unassigned: true });
  const clock = new ManualClock(BENCH_START);
  const graceMs = 100;
  const aggregator = new Aggregator({
    cells: scopes.siteCount * CELLS_PER_SITE,
    tickMs: 1000,
    graceMs,
    start: BENCH_START - 1000,
  });
  const saves: Harness['saves'] = [];
  const devices = timedDeviceStore(join(dir, `bare-${n}.db`), saves);
  const options: IngestServiceOptions = {
    sink: aggregator,
    scopes,
    clock,
    logger: silent,
    store: devices,
    heartbeatMs: 600_000,
    latenessMs: 86_400_000,
  };
  const ingest = new IngestService(options);
  ingest.start();
  return {
    label: 'engine on a bare Aggregator',
    handle: handler(ingest, zod),
    ingest,
    moveTo(t) {
      if (t > clock.now()) clock.advance(t - clock.now());
      aggregator.closeThrough(Math.floor((t - graceMs) / 1000) * 1000);
    },
    saves,
    close() {
      ingest.stop();
      devices.close();
    },
  };
}

/**
 * As buildServer wires it: the Pipeline's aggregator with history listening (late pieces of
 * spread reports go to the history recorder) and /metrics observing each record's lag.
 */
function serverHarness(n: number, zod: boolean): Harness {
  const config = loadConfig({
    SIM_ENABLED: 'false',
    MQTT_URL: 'mqtt://127.0.0.1:1',
    TICK_MS: '1000',
    BACKFILL_DAYS: '0',
    DATA_DIR: dir,
  });
  const scopes = new ScopeIndex(loadSiteCatalog(), { unassigned: true });
  const clock = new ManualClock(BENCH_START);
  const pipeline = new Pipeline(config, scopes, clock, silent);
  const store = openSqliteStore(join(dir, `history-${n}.db`));
  const saves: Harness['saves'] = [];
  const devices = timedDeviceStore(join(dir, `server-${n}.db`), saves);
  const history = new HistoryService(config, scopes, store, devices, pipeline, clock, silent);
  const ingest = new IngestService({
    sink: pipeline.aggregator,
    scopes,
    clock,
    logger: silent,
    store: devices,
    heartbeatMs: config.ingest.heartbeatMs,
    latenessMs: config.history.latenessMs,
  });
  createMetrics({ pipeline, history, ingest, clients: () => 0 });
  pipeline.prime();
  pipeline.start();
  history.start();
  ingest.start();
  return {
    label: 'server path: + history recorder, /metrics lag',
    handle: handler(ingest, zod),
    ingest,
    moveTo(t) {
      if (t > clock.now()) clock.advance(t - clock.now());
    },
    saves,
    close() {
      ingest.stop();
      pipeline.stop();
      history.stop();
      devices.close();
      store.close();
    },
  };
}

interface Result {
  records: number;
  ms: number;
  cpuPct: number;
  /** Time outside the handler per simulated second: slot closes, ticks, history, sweep, saves. */
  backgroundMs: number;
}

/** Lets the event loop turn once, as it does between MQTT messages (chunked counter saves run). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Feeds every batch in time order; only the handler calls of the timed ones are timed. */
async function feed(h: Harness, batches: readonly Batch[], timedFrom: number): Promise<Result> {
  let records = 0;
  let ms = 0;
  let background = 0;
  let cpu0: NodeJS.CpuUsage | null = null;
  let wall0 = 0;
  for (const b of batches) {
    if (b.t < timedFrom) {
      h.moveTo(b.t);
      h.handle(b.topic, b.payload);
      await turn();
      continue;
    }
    if (!cpu0) {
      cpu0 = process.cpuUsage();
      wall0 = performance.now();
    }
    const moved = performance.now();
    await turn();
    h.moveTo(b.t);
    const began = performance.now();
    h.handle(b.topic, b.payload);
    const ended = performance.now();
    background += began - moved;
    ms += ended - began;
    records += b.records;
  }
  const cpu = process.cpuUsage(cpu0 ?? undefined);
  const wall = performance.now() - wall0;
  return {
    records,
    ms,
    cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    backgroundMs: background / TIMED_S,
  };
}

/** JSON.parse alone, or with a validator, over the timed batches (no state). */
function parseOnly(batches: readonly Batch[], check: 'none' | 'zod' | 'fast'): Result {
  let records = 0;
  const began = performance.now();
  for (const b of batches) {
    const items = JSON.parse(b.payload.toString('utf8')) as unknown[];
    if (check === 'none') records += items.length;
    else if (check === 'zod') {
      for (const item of items) if (ingestRecordSchema.safeParse(item).success) records++;
    } else for (const item of items) if (fastIngestRecord(item)) records++;
  }
  return { records, ms: performance.now() - began, cpuPct: Number.NaN, backgroundMs: Number.NaN };
}

const rate = (r: Result) => (r.records / r.ms) * 1000;

async function main(): Promise<void> {
  const began = performance.now();
  const load0 = loadAverage();
  const driver = new FleetDriver({ devices: DEVICES, seed: 'bench', run: 'b' });
  const batches = gatewayBatches(driver, {
    prefix: PREFIX,
    gatewaySize: GATEWAY_SIZE,
    intervalS: INTERVAL_S,
    start: BENCH_START,
    seconds: WARM_S + TIMED_S,
  });
  const timedFrom = BENCH_START + WARM_S * 1000;
  const timed = batches.filter((b) => b.t >= timedFrom);
  const timedRecords = timed.reduce((s, b) => s + b.records, 0);
  const bytes = timed.reduce((s, b) => s + b.payload.byteLength, 0);
  const metas = metaRecords(driver);
  const generationMs = performance.now() - began;

  const rows: string[][] = [];
  const checks: string[] = [];
  const parses = [
    ['none', 'JSON.parse only'],
    ['zod', 'JSON.parse + zod record schema'],
    ['fast', 'JSON.parse + fast-parse.ts'],
  ] as const;
  for (const [check, label] of parses) {
    const results = Array.from({ length: 3 }, () => parseOnly(timed, check));
    if (results[0]!.records !== timedRecords)
      checks.push(`${label}: only ${results[0]!.records} valid`);
    rows.push([label, ...figures(results)]);
  }
  const variants = [
    ['bare', bareHarness, false, 'MqttSource.onMessage → engine on a bare Aggregator'],
    ['bare', bareHarness, true, 'the same with zod only (the handler before fast-parse.ts)'],
    ['server', serverHarness, false, 'MqttSource.onMessage → server path (+ history, /metrics)'],
    ['server', serverHarness, true, 'the same with zod only'],
  ] as const;
  for (const [name, make, zod, label] of variants) {
    if (ONLY && `${name}${zod ? '-zod' : ''}` !== ONLY && !(ONLY === name && !zod)) continue;
    const results: Result[] = [];
    const saves: Harness['saves'] = [];
    let heap = 0;
    const rounds = name === 'server' ? SERVER_ROUNDS : ROUNDS;
    for (let round = 0; round < rounds; round++) {
      collectGarbage();
      const h = make(round, zod);
      const regBegan = performance.now();
      register(h.ingest, metas);
      const regMs = performance.now() - regBegan;
      results.push(await feed(h, batches, timedFrom));
      saves.push(...h.saves);
      const stats = h.ingest.stats;
      // What the engine keeps for its devices (after a full collection), not garbage.
      collectGarbage();
      heap = Math.max(heap, process.memoryUsage().heapUsed);
      if (round === 0) {
        checks.push(
          `${label}: ${num(stats.accepted.mqtt)} accepted (${num(stats.duplicates.mqtt)} duplicates), ` +
            `${num(stats.droppedTotal())} dropped; meta of ${num(DEVICES)} devices registered at ` +
            `${num((DEVICES / regMs) * 1000)}/s`,
        );
      }
      h.close();
    }
    const big = saves.filter((x) => x.rows > 1000);
    rows.push([
      label,
      ...figures(results),
      `${num(median(results.map((r) => r.cpuPct)))} %`,
      mb(heap),
      `${num(median(results.map((r) => r.backgroundMs)), 1)} ms`,
      big.length
        ? `${num(median(big.map((x) => x.rows)))} rows, ${num(median(big.map((x) => x.ms)))} ms ` +
          `(max ${num(Math.max(...big.map((x) => x.ms)))} ms); ${num(big.length / rounds)} a round`
        : '—',
    ]);
  }

  heading(
    `ingest-gateway: device records through gateway batches, one core, no broker`,
    `${num(DEVICES)} devices (the load generator's fleet driver, seed "bench"), ${num(DEVICES / GATEWAY_SIZE)} gateways of ` +
      `${GATEWAY_SIZE}, each reporting every ${INTERVAL_S} s. Timed: ${TIMED_S} simulated seconds after ` +
      `${WARM_S} of warm-up (the first interval is every device's baseline): ${num(timed.length)} ` +
      `batches, ${num(timedRecords)} records, ${num(bytes / timedRecords, 0)} bytes/record. ` +
      `${ROUNDS} rounds (server path: ${SERVER_ROUNDS}) each with a fresh engine; median ` +
      `(min–max) of the time inside the message handler. Target ≥ ${num(TARGET)} records/s. ` +
      `Load average before: ${load0}; after: ${loadAverage()}.`,
  );
  table([
    [
      'path',
      'records/s (median)',
      'range',
      'µs/record',
      'process CPU',
      'heap after GC (max)',
      'outside the handler per simulated s',
      'counter save chunk (median), chunks per round',
    ],
    ...rows.map((r) => [
      r[0]!,
      r[1]!,
      r[2]!,
      r[3]!,
      r[4] ?? '—',
      r[5] ?? '—',
      r[6] ?? '—',
      r[7] ?? '—',
    ]),
  ]);
  console.log(
    '\nOutside the handler: slot closes; on the server path also ticks, history (recording each ' +
      'second, a flush every 10 s), the heartbeat sweep and the counter saves of the ingest service.',
  );
  console.log('');
  for (const c of checks) console.log(c);
  console.log(`payload generation: ${num(generationMs / 1000, 1)} s`);
}

function figures(results: readonly Result[]): string[] {
  const rates = results.map(rate);
  const m = median(rates);
  return [
    num(m),
    `${num(Math.min(...rates) / 1000)}–${num(Math.max(...rates) / 1000)} k`,
    num(1e6 / m, 2),
  ];
}

await main();
