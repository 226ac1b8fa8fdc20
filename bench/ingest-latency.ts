// Ingest-to-tick latency: a record published over MQTT with ts = now, until the first tick a
// subscribed socket.io client receives reflects it. Two probes at `site:unassigned` (placed in
// the Pacific, so no load device shares their scope): one flips its status (online count), one
// reports telemetry (bytes in). Measured idle, then under a steady background load.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { HealthResponse } from '../src/protocol/api.ts';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  TickPayload,
} from '../src/protocol/live.ts';
import type { Ack } from '../src/protocol/envelope.ts';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';
import { ask, forkReady, stopChild } from './support/children.ts';
import { startMosquitto } from './support/mosquitto.ts';
import type { LoadCommand, RunReply } from './support/mqtt-load-protocol.ts';
import { CpuWindow, loadAverage } from './support/proc.ts';
import { heading, median, ms, num, percentile, table } from './support/report.ts';
import { numberFromEnv } from './support/env.ts';

const PHASE_S = numberFromEnv('BENCH_LATENCY_PHASE_S', 60, 1);
const LOAD_DEVICES = 20_000;
const LOAD_RATE = 10_000;
const TICK_MS = 1000;
const GRACE_MS = 100;
const WATCHDOG_MS = 360_000;
const SCOPE = 'site:unassigned';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Sample {
  /** Null when no tick reflected it within LOST_MS. */
  latency: number | null;
  /** From publishing to the end of the period the reflecting tick covers. */
  toTickEnd: number | null;
}

interface Phase {
  label: string;
  status: Sample[];
  telemetry: Sample[];
  cpu: Record<string, number>;
  load: RunReply | null;
}

const sleep = (msDelay: number) => new Promise((r) => setTimeout(r, msDelay));

async function health(server: ServerProcess): Promise<HealthResponse> {
  return (await (await fetch(`${server.url}healthz`)).json()) as HealthResponse;
}

async function until(what: string, msLimit: number, check: () => Promise<boolean>) {
  const deadline = Date.now() + msLimit;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Longer than this, a sample counts as lost (its message dropped, or Meridian stalled). */
const LOST_MS = 5000;

/** The next tick for which `reflects` holds, with its receipt time; null after LOST_MS. */
function nextTick(
  socket: LiveSocket,
  reflects: (t: TickPayload) => boolean,
): Promise<{ tick: TickPayload; at: number } | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('tick', on);
      resolve(null);
    }, LOST_MS);
    const on = (tick: TickPayload) => {
      if (!reflects(tick)) return;
      socket.off('tick', on);
      clearTimeout(timer);
      resolve({ tick, at: Date.now() });
    };
    socket.on('tick', on);
  });
}

/** Flips the status probe between online and offline until `until`; one sample per flip. */
async function statusProbe(
  socket: LiveSocket,
  client: MqttClient,
  topic: string,
  deadline: number,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  // The telemetry probe is always online: online is 2 with this one online, 1 with it offline.
  let online = false;
  while (Date.now() < deadline) {
    online = !online;
    const want = online ? 2 : 1;
    const seen = nextTick(socket, (t) => t.kpis.online === want);
    const t0 = Date.now();
    await client.publishAsync(topic, `{"status":"${online ? 'online' : 'offline'}","ts":${t0}}`, {
      qos: 1,
    });
    const got = await seen;
    samples.push({ latency: got && got.at - t0, toTickEnd: got && got.tick.ts - t0 });
    await sleep(Math.random() * 1000); // a random phase against the tick
  }
  return samples;
}

/** Reports telemetry with ts = now; the first tick with bytes in after it is the sample. */
async function telemetryProbe(
  socket: LiveSocket,
  client: MqttClient,
  topic: string,
  deadline: number,
  state: { bytes: number },
): Promise<Sample[]> {
  const samples: Sample[] = [];
  while (Date.now() < deadline) {
    // Start from a quiet tick, so that the next one with traffic is this report's.
    await nextTick(socket, (t) => t.kpis.bytesInRate === 0);
    await sleep(Math.random() * 1000);
    state.bytes += 10_000;
    const seen = nextTick(socket, (t) => t.kpis.bytesInRate > 0);
    const t0 = Date.now();
    await client.publishAsync(
      topic,
      `{"boot":"probe","ts":${t0},"msgs":${state.bytes / 100},"bytesIn":${state.bytes}}`,
      { qos: 1 },
    );
    const got = await seen;
    samples.push({ latency: got && got.at - t0, toTickEnd: got && got.tick.ts - t0 });
  }
  return samples;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-latency-'));
  // Also when the watchdog or a signal ends the run.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const broker = await startMosquitto(dir);
  const run = randomBytes(3).toString('hex');
  const prefix = `bench/${run}`;
  const server = await startServerProcess({
    MQTT_URL: broker.url,
    MQTT_TOPIC_PREFIX: prefix,
    MQTT_CLIENT_ID: `meridian-latency-${run}`,
    DATA_DIR: mkdtempSync(join(dir, 'meridian-')),
    TICK_MS: String(TICK_MS),
    TICK_GRACE_MS: String(GRACE_MS),
    BACKFILL_DAYS: '0',
  });
  const children: ChildProcess[] = [];
  let client: MqttClient | null = null;
  let socket: LiveSocket | null = null;
  try {
    await until('Meridian to subscribe', 15_000, async () =>
      Boolean((await health(server)).ingest?.mqtt?.subscribed),
    );
    client = await mqtt.connectAsync(broker.url, { clientId: `probe-${run}` });
    const probe = (id: string, kind: string) => `${prefix}/devices/${id}/${kind}`;
    const pacific = '{"lat":0,"lon":-140,"tech":"satellite","class":"asset-tracker"}';
    await client.publishAsync(probe('probe-status', 'meta'), pacific, { qos: 1 });
    await client.publishAsync(probe('probe-telemetry', 'meta'), pacific, { qos: 1 });
    const tel = { bytes: 0 };
    await client.publishAsync(
      probe('probe-telemetry', 'telemetry'),
      `{"boot":"probe","ts":${Date.now()},"bytesIn":0}`,
      { qos: 1 },
    );
    socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const ack = (await socket
      .timeout(5000)
      .emitWithAck('subscribe', { scope: SCOPE })) as Ack<TickPayload>;
    if (!ack.ok) throw new Error(ack.error.message);
    await nextTick(socket, (t) => t.kpis.devices === 2 && t.kpis.online === 1);

    const load = await forkReady('./mqtt-load.ts', [
      broker.url,
      prefix,
      '1',
      String(LOAD_DEVICES),
      `load-${run}`,
    ]);
    children.push(load);

    const phases: Phase[] = [];
    for (const loaded of [false, true]) {
      let loadRun: Promise<RunReply> | null = null;
      if (loaded) {
        await ask(load, { cmd: 'meta', rate: 5000 } satisfies LoadCommand);
        // Every device, or as many as arrived: a burst can lose some at the broker (see
        // ingest-mqtt), and the telemetry of an unknown device is load all the same.
        let known = 0;
        await until('Meridian to take the load fleet', 60_000, async () => {
          const now = (await health(server)).ingest?.devices ?? 0;
          const settled = now === known;
          known = now;
          return now === LOAD_DEVICES + 2 || (settled && now > 2);
        });
        loadRun = ask<RunReply>(load, {
          cmd: 'run',
          kind: 'device',
          rate: LOAD_RATE,
          seconds: PHASE_S + 8,
          gatewaySize: 0,
        } satisfies LoadCommand);
        await sleep(5000); // past every load device's first (baseline) report
      }
      const cpu = new CpuWindow({
        meridian: server.child.pid!,
        mosquitto: broker.pid,
        bench: process.pid,
        publisher: load.pid!,
      });
      const deadline = Date.now() + PHASE_S * 1000;
      const [status, telemetry] = await Promise.all([
        statusProbe(socket, client, probe('probe-status', 'status'), deadline),
        telemetryProbe(socket, client, probe('probe-telemetry', 'telemetry'), deadline, tel),
      ]);
      phases.push({
        label: loaded
          ? `under load: ${num(LOAD_RATE)} telemetry msgs/s (QoS 1) from ${num(LOAD_DEVICES)} devices`
          : 'idle (only the probes)',
        status,
        telemetry,
        cpu: cpu.read(),
        load: loadRun ? await loadRun : null,
      });
    }

    heading(
      'ingest-latency: MQTT publish (ts = now) to the first tick that reflects it',
      `Meridian as a child process (TICK_MS=${TICK_MS}, TICK_GRACE_MS=${GRACE_MS}, MQTT_QOS=1), a ` +
        `private Mosquitto (Debian defaults), a socket.io-client subscribed to ${SCOPE}; probes ` +
        `publish with QoS 1 from the benchmark process, then wait a random 0–1 s so samples fall ` +
        `at every phase of the tick. ${PHASE_S} s per phase. Load average: ${loadAverage()}.`,
    );
    const row = (phase: Phase, kind: 'status' | 'telemetry') => {
      const s = phase[kind].filter((x) => x.latency !== null);
      const lat = s.map((x) => x.latency!);
      return [
        phase.label,
        kind === 'status' ? 'status flip (online count)' : 'telemetry (bytes in)',
        `${num(s.length)} (${num(phase[kind].length - s.length)} lost)`,
        ms(median(lat)),
        ms(percentile(lat, 95)),
        ms(Math.max(...lat)),
        ms(median(s.map((x) => x.toTickEnd!))),
        `${num(phase.cpu.meridian ?? 0)} %`,
        `${num(phase.cpu.mosquitto ?? 0)} %`,
      ];
    };
    table([
      [
        'phase',
        'probe',
        'samples (lost: no tick within 5 s)',
        'p50',
        'p95',
        'max',
        'publish → end of its tick period (p50)',
        'CPU Meridian',
        'CPU mosquitto',
      ],
      ...phases.flatMap((p) => [row(p, 'status'), row(p, 'telemetry')]),
    ]);
    const loaded = phases[1]?.load;
    if (loaded) {
      console.log(
        `\nBackground load: ${num((loaded.messages / loaded.ms) * 1000)} msgs/s published, ` +
          `${num(loaded.errors)} errors. A tick covers [end − ${TICK_MS} ms, end) and is built ` +
          `${GRACE_MS} ms after its end, so the latency floor is the wait for the period to end ` +
          `(0–${TICK_MS} ms, 500 ms on average) plus the grace.`,
      );
    }
  } finally {
    socket?.close();
    await client?.endAsync(true);
    for (const c of children) await stopChild(c);
    await server.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

setTimeout(() => {
  console.error(`ingest-latency: gave up after ${WATCHDOG_MS / 1000} s`);
  process.exit(1);
}, WATCHDOG_MS).unref();

await main();
