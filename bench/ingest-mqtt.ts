// MQTT ingest against the broker's own delivery rate: a publisher process sends the load
// generator's fleet at fixed rates; a bare subscriber process and Meridian (the real server as
// a child process) subscribe to the same topics with the same QoS. For each step: published/s,
// the bare subscriber's received/s, Meridian's counted/s (its /metrics), and the CPU of each process.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthResponse } from '../src/protocol/api.ts';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';
import { ask, forkReady, stopChild } from './support/children.ts';
import { startMosquitto } from './support/mosquitto.ts';
import type { CounterReply } from './support/mqtt-counter.ts';
import { LOAD_SEED, type LoadCommand, type RunReply } from './support/mqtt-load-protocol.ts';
import { FleetDriver } from '../scripts/simulate/fleet-driver.ts';
import { CpuWindow, loadAverage, rssBytes } from './support/proc.ts';
import { heading, mb, num, table } from './support/report.ts';
import { numberFromEnv } from './support/env.ts';

const DEVICES = 50_000;
const STEP_S = numberFromEnv('BENCH_MQTT_STEP_S', 10, 1);
const GATEWAY_SIZE = 500;
const WATCHDOG_MS = 600_000;
const TOKEN = randomBytes(16).toString('hex');
// Only the series with this label (e.g. "QoS 1"), and only its per-device or gateway steps if it
// ends in " devices" or " gateways"; a directory to write the server's CPU profile (.cpuprofile) to.
const ONLY = process.env.BENCH_MQTT_SERIES ?? '';
const PROFILE_DIR = process.env.BENCH_MQTT_PROFILE_DIR ?? '';

interface Series {
  label: string;
  qos: 0 | 1;
  /** Extra lines for mosquitto.conf. */
  broker: string[];
  deviceRates: number[];
  batchRates: number[];
}

const SERIES: Series[] = [
  {
    label: 'QoS 1',
    qos: 1,
    broker: [],
    deviceRates: [2000, 5000, 10_000, 20_000, 30_000, 40_000],
    batchRates: [20, 50, 100, 200, 300, 400, 500],
  },
  {
    label: 'QoS 1, queue 100k',
    qos: 1,
    broker: ['max_queued_messages 100000'],
    deviceRates: [5000, 10_000, 20_000, 30_000],
    batchRates: [],
  },
  {
    label: 'QoS 0',
    qos: 0,
    broker: [],
    deviceRates: [2000, 5000, 10_000, 20_000, 40_000, 60_000],
    batchRates: [],
  },
];

interface Counts {
  bare: number;
  meridian: number;
  rejected: number;
  lagMaxMs: number;
}

interface Step {
  label: string;
  series: string;
  target: number;
  run: RunReply;
  /** Per second over the publishing window. */
  bareRate: number;
  meridianRate: number;
  /** Records per bare-subscriber message (1, or the mean batch size). */
  perMessage: number;
  /** Share of what was published that each had received once the broker went quiet. */
  bareTotal: number;
  meridianTotal: number;
  rejected: number;
  cpu: Record<string, number>;
  meridianRss: number;
  /** Meridian's longest event-loop delay over the window (its /metrics), ms. */
  lagMaxMs: number;
}

async function meridianCounts(
  server: ServerProcess,
): Promise<{ accepted: number; rejected: number; lagMaxMs: number }> {
  // Each scrape also resets the event-loop delay maximum (prom-client), so it covers the window.
  const text = await (await fetch(`${server.url}metrics`)).text();
  const lag = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
  const accepted = /meridian_ingest_records_total\{source="mqtt",outcome="accepted"\} (\d+)/.exec(
    text,
  );
  let rejected = 0;
  for (const m of text.matchAll(/meridian_ingest_rejected_total\{source="mqtt",[^}]*\} (\d+)/g)) {
    rejected += Number(m[1]);
  }
  return { accepted: Number(accepted?.[1] ?? 0), rejected, lagMaxMs: Number(lag?.[1]) * 1000 };
}

/** The fleet's meta records (the publisher's driver, same seed) over POST /api/v1/ingest. */
async function registerOverHttp(server: ServerProcess): Promise<void> {
  const driver = new FleetDriver({ devices: DEVICES, seed: LOAD_SEED });
  for (let from = 0; from < DEVICES; from += 5000) {
    const records: string[] = [];
    for (let d = from; d < Math.min(DEVICES, from + 5000); d++) records.push(driver.metaRecord(d));
    const res = await fetch(`${server.url}api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: `[${records.join(',')}]`,
    });
    if (!res.ok) throw new Error(`HTTP ingest answered ${res.status}: ${await res.text()}`);
  }
}

async function health(server: ServerProcess): Promise<HealthResponse> {
  return (await (await fetch(`${server.url}healthz`)).json()) as HealthResponse;
}

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function counts(server: ServerProcess, counter: ChildProcess): Promise<Counts> {
  const [bare, m] = await Promise.all([
    ask<CounterReply>(counter, { cmd: 'count' }),
    meridianCounts(server),
  ]);
  return { bare: bare.messages, meridian: m.accepted, rejected: m.rejected, lagMaxMs: m.lagMaxMs };
}

/** Waits until neither subscriber has received anything for a second (at most 15 s). */
async function quiet(server: ServerProcess, counter: ChildProcess): Promise<Counts> {
  let last = await counts(server, counter);
  let still = 0;
  const deadline = Date.now() + 15_000;
  while (still < 4 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await counts(server, counter);
    still = now.bare === last.bare && now.meridian === last.meridian ? still + 1 : 0;
    last = now;
  }
  return last;
}

interface MetaBurst {
  series: string;
  ms: number;
  bare: number;
  meridian: number;
}

async function series(config: Series, dir: string): Promise<{ steps: Step[]; meta: MetaBurst }> {
  const qos = config.qos;
  const broker = await startMosquitto(dir, config.broker);
  const run = randomBytes(3).toString('hex');
  const prefix = `bench/${run}`;
  const server = await startServerProcess(
    {
      MQTT_URL: broker.url,
      MQTT_TOPIC_PREFIX: prefix,
      MQTT_CLIENT_ID: `meridian-bench-${run}`,
      MQTT_QOS: String(qos),
      DATA_DIR: mkdtempSync(join(dir, 'meridian-')),
      TICK_MS: '1000',
      BACKFILL_DAYS: '0',
      INGEST_TOKEN: TOKEN,
    },
    undefined,
    PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  );
  const children: ChildProcess[] = [];
  try {
    await until('Meridian to subscribe', 15_000, async () =>
      Boolean((await health(server)).ingest?.mqtt?.subscribed),
    );
    const counter = await forkReady('./mqtt-counter.ts', [
      broker.url,
      prefix,
      String(qos),
      `bare-${run}`,
    ]);
    children.push(counter);
    const load = await forkReady('./mqtt-load.ts', [
      broker.url,
      prefix,
      String(qos),
      String(DEVICES),
      `load-${run}`,
    ]);
    children.push(load);
    // First as fast as the broker takes them, as a fleet provisioning script would; then again
    // (retained meta is idempotent) at a pace Meridian keeps up with, if the burst lost some.
    const burst = await ask<{ ms: number }>(load, { cmd: 'meta' } satisfies LoadCommand);
    await quiet(server, counter);
    const metaBurst: MetaBurst = {
      series: config.label,
      ms: burst.ms,
      bare: (await ask<CounterReply>(counter, { cmd: 'count' })).messages,
      meridian: (await health(server)).ingest?.devices ?? 0,
    };
    // What the burst lost, Meridian learns over HTTP ingest: these steps measure telemetry.
    if (metaBurst.meridian < DEVICES) await registerOverHttp(server);
    await until(`Meridian to know the ${num(DEVICES)} devices`, 10_000, async () => {
      return (await health(server)).ingest?.devices === DEVICES;
    });
    // Every device's first report is its baseline (and its first status): one pass over the
    // fleet before the steps, so that they carry ordinary reports only.
    await ask(load, {
      cmd: 'run',
      kind: 'device',
      rate: 10_000,
      seconds: DEVICES / 10_000,
      gatewaySize: 0,
    } satisfies LoadCommand);
    await quiet(server, counter);

    const steps: Step[] = [];
    const plan = [
      ...config.deviceRates.map((rate) => ({ kind: 'device' as const, rate })),
      ...config.batchRates.map((rate) => ({ kind: 'gateway' as const, rate })),
    ];
    for (const p of plan) {
      const before = await counts(server, counter);
      const cpu = new CpuWindow({
        meridian: server.child.pid!,
        bare: counter.pid!,
        mosquitto: broker.pid,
        publisher: load.pid!,
      });
      const reply = await ask<RunReply>(load, {
        cmd: 'run',
        kind: p.kind,
        rate: p.rate,
        seconds: STEP_S,
        gatewaySize: GATEWAY_SIZE,
      } satisfies LoadCommand);
      const atEnd = await counts(server, counter);
      const usage = cpu.read();
      const meridianRss = rssBytes(server.child.pid!);
      const after = await quiet(server, counter);
      const perMessage = reply.records / Math.max(1, reply.messages);
      steps.push({
        label: p.kind === 'device' ? 'per-device telemetry' : `gateway batches of ${GATEWAY_SIZE}`,
        series: config.label,
        target: p.rate,
        run: reply,
        bareRate: ((atEnd.bare - before.bare) / reply.ms) * 1000,
        meridianRate: ((atEnd.meridian - before.meridian) / reply.ms) * 1000,
        perMessage,
        bareTotal: (after.bare - before.bare) / Math.max(1, reply.messages),
        meridianTotal: (after.meridian - before.meridian) / Math.max(1, reply.records),
        rejected: after.rejected - before.rejected,
        cpu: usage,
        meridianRss,
        lagMaxMs: atEnd.lagMaxMs,
      });
      const s = steps.at(-1)!;
      console.error(
        `  ${config.label} ${p.kind} ${num(p.rate)}/s: published ${num((reply.messages / reply.ms) * 1000)}/s, ` +
          `bare ${num(s.bareRate)}/s, meridian ${num(s.meridianRate)} records/s, ` +
          `cpu m/b/q/p ${[usage.meridian, usage.bare, usage.mosquitto, usage.publisher].map((x) => num(x ?? 0)).join('/')} %`,
      );
    }
    return { steps, meta: metaBurst };
  } finally {
    for (const c of children) await stopChild(c);
    await server.stop();
    await broker.stop();
  }
}

function rows(steps: readonly Step[]): string[][] {
  return steps.map((s) => {
    const published = (s.run.messages / s.run.ms) * 1000;
    const bareRecords = s.bareRate * s.perMessage;
    const ratio = bareRecords > 0 ? s.meridianRate / bareRecords : Number.NaN;
    return [
      `${s.label}, ${s.series}`,
      num(s.target),
      num(published),
      num(s.bareRate),
      num(s.meridianRate),
      num(ratio, 2),
      `${num(s.bareTotal * 100, 1)} % / ${num(s.meridianTotal * 100, 1)} %`,
      num(s.cpu.meridian ?? 0),
      num(s.cpu.bare ?? 0),
      num(s.cpu.mosquitto ?? 0),
      num(s.cpu.publisher ?? 0),
      mb(s.meridianRss),
      num(s.lagMaxMs),
      s.rejected ? num(s.rejected) : '0',
    ];
  });
}

function selected(): Series[] {
  if (!ONLY) return SERIES;
  const [, label, part] = /^(.*?)(?: (devices|gateways))?$/.exec(ONLY)!;
  const found = SERIES.filter((s) => s.label === label);
  if (!found.length) throw new Error(`BENCH_MQTT_SERIES: no series "${label}"`);
  return found.map((s) => ({
    ...s,
    deviceRates: part === 'gateways' ? [] : s.deviceRates,
    batchRates: part === 'devices' ? [] : s.batchRates,
  }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-mqtt-'));
  // Also when the watchdog or a signal ends the run.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const load0 = loadAverage();
  try {
    const results = [];
    for (const config of selected()) results.push(await series(config, dir));
    const steps = results.flatMap((r) => r.steps);
    heading(
      'ingest-mqtt: Meridian against a bare subscriber on the same broker and payloads',
      `A private Mosquitto 2.0 per series on 127.0.0.1, no persistence, otherwise the Debian ` +
        `package's defaults (20 QoS 1 messages in flight and 1,000 queued per client) unless the ` +
        `series says "queue 100k" (max_queued_messages 100000). Publisher: the load generator's fleet driver, ` +
        `${num(DEVICES)} devices, 4 MQTT 3.1.1 connections, in its own process. Meridian: the real ` +
        `server (dist/server/main.mjs) with MQTT_QOS as shown; the bare subscriber mirrors its ` +
        `subscription (MQTT 5, persistent session, same filters and QoS). ${STEP_S} s per step. ` +
        `Rates are per second over the publishing window; "delivered" is what each had received ` +
        `once the broker went quiet, as a share of what was published. CPU is % of one core ` +
        `(/proc/<pid>/stat) over the window. Load average before: ${load0}; after: ${loadAverage()}.`,
    );
    table([
      [
        'payload',
        'target msgs/s',
        'published msgs/s',
        'bare received msgs/s',
        'Meridian counted records/s',
        'Meridian ÷ bare',
        'delivered bare / Meridian',
        'CPU Meridian',
        'CPU bare',
        'CPU mosquitto',
        'CPU publisher',
        'Meridian RSS',
        'Meridian event-loop delay max ms',
        'rejected',
      ],
      ...rows(steps),
    ]);
    console.log(
      '\nMeridian ÷ bare compares records: for gateway batches the bare subscriber counts messages, ' +
        'times the mean batch size. Publishing is held back when 20,000 publishes await their ' +
        'acknowledgement or 1 MB waits in a socket buffer (held-back 5 ms ticks per step: ' +
        steps.map((s) => s.run.heldBack).join(', ') +
        ').',
    );
    for (const { meta } of results) {
      console.log(
        `Meta burst, ${meta.series}: ${num(DEVICES)} retained meta messages published in ` +
          `${num(meta.ms)} ms (${num((DEVICES / meta.ms) * 1000)}/s); the bare subscriber received ` +
          `${num(meta.bare)}, Meridian knew ${num(meta.meridian)} devices afterwards` +
          (meta.meridian < DEVICES ? ' (the rest were registered over HTTP ingest).' : '.'),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

setTimeout(() => {
  console.error(`ingest-mqtt: gave up after ${WATCHDOG_MS / 1000} s`);
  process.exit(1); // exit hooks kill the server, the broker and the children
}, WATCHDOG_MS).unref();

await main();
