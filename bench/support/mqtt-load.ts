// The publishing side of bench/ingest-mqtt.ts, in its own process: the load generator's fleet
// driver (scripts/simulate) publishing per-device telemetry, or gateway batches, at a fixed rate.
import mqtt, { type MqttClient } from 'mqtt';
import { FleetDriver, STATUS_CHANGED, TELEMETRY } from '../../scripts/simulate/fleet-driver.ts';
import { LOAD_SEED, type LoadCommand, type RunReply } from './mqtt-load-protocol.ts';

const [url, prefix, qosText, devicesText, clientId] = process.argv.slice(2);
if (!url || !prefix || !devicesText || !clientId || !process.send) {
  throw new Error('usage: fork mqtt-load.ts <url> <prefix> <qos> <devices> <client id>');
}
const qos = qosText === '0' ? 0 : 1;
const CONNECTIONS = 4;
const MAX_IN_FLIGHT = 20_000;
const TICK_MS = 5;
/** Bytes waiting in a connection's socket buffer beyond which publishing waits. */
const BACKLOG = 1024 * 1024;

const driver = new FleetDriver({ devices: Number(devicesText), seed: LOAD_SEED });
// MQTT 3.1.1: mqtt.js does not honour an MQTT 5 broker's receive maximum (20 on Mosquitto).
const clients: MqttClient[] = await Promise.all(
  Array.from({ length: CONNECTIONS }, (_, i) =>
    mqtt.connectAsync(url, { clientId: `${clientId}-${i}`, protocolVersion: 4, clean: true }),
  ),
);
// With QoS 0 every publish waiting behind a full socket buffer (up to BACKLOG) waits for its
// 'drain': thousands of listeners, by design here, not a leak.
for (const c of clients) c.stream.setMaxListeners(0);
let inFlight = 0;
let errors = 0;
const done = (err?: Error) => {
  inFlight--;
  if (err) errors++;
};
let next = 0; // device (or gateway) to report next
process.send({ ready: true });

function publish(i: number, topic: string, payload: string, retain = false): void {
  inFlight++;
  clients[i % CONNECTIONS]!.publish(topic, payload, { qos, retain }, done);
}

/** One device's report: its telemetry, and its status when that changed. Returns messages. */
function device(d: number, t: number): number {
  const flags = driver.step(d, t);
  let n = 0;
  if (flags & STATUS_CHANGED) {
    publish(d, `${prefix}/devices/${driver.id(d)}/status`, driver.statusOf(d));
    n++;
  }
  if (flags & TELEMETRY) {
    publish(d, `${prefix}/devices/${driver.id(d)}/telemetry`, driver.telemetryBody(d, t));
    n++;
  }
  return n;
}

/** One gateway's batch (devices [g·size, (g+1)·size)). Returns records. */
function gateway(g: number, size: number, t: number): number {
  const records: string[] = [];
  const to = Math.min(driver.size, (g + 1) * size);
  for (let d = g * size; d < to; d++) {
    const flags = driver.step(d, t);
    if (flags & STATUS_CHANGED) records.push(driver.statusRecord(d, t));
    if (flags & TELEMETRY) records.push(driver.telemetryRecord(d, t));
  }
  publish(g, `${prefix}/gateways/gw-${g}/batch`, `[${records.join(',')}]`);
  return records.length;
}

async function run(c: Extract<LoadCommand, { cmd: 'run' }>): Promise<RunReply> {
  const units = c.kind === 'device' ? driver.size : Math.ceil(driver.size / c.gatewaySize);
  const began = performance.now();
  const errors0 = errors;
  let messages = 0;
  let records = 0;
  let sent = 0;
  let maxInFlight = 0;
  let heldBack = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - began;
      const due = Math.floor((Math.min(elapsed, c.seconds * 1000) / 1000) * c.rate) - sent;
      const t = Date.now();
      for (let k = 0; k < due; k++) {
        // Held back when the broker stops reading (a socket's buffer fills) or acknowledging.
        if (inFlight >= MAX_IN_FLIGHT || clients.some((c) => c.stream.writableLength > BACKLOG)) {
          heldBack++;
          break;
        }
        const u = next;
        next = (next + 1) % units;
        sent++;
        if (c.kind === 'device') messages += device(u, t);
        else {
          records += gateway(u, c.gatewaySize, t);
          messages++;
        }
      }
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (elapsed >= c.seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const ms = performance.now() - began;
  return {
    messages,
    records: c.kind === 'device' ? messages : records,
    ms,
    errors: errors - errors0,
    maxInFlight,
    heldBack,
  };
}

async function meta(rate: number | undefined): Promise<{ ms: number }> {
  const began = performance.now();
  for (let d = 0; d < driver.size; d++) {
    while (inFlight >= 1000 || clients[0]!.stream.writableLength > BACKLOG) {
      await new Promise((r) => setImmediate(r));
    }
    if (rate !== undefined && d % 100 === 0) {
      const wait = began + (d / rate) * 1000 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    // One connection for meta, so it reaches subscribers in order and before any telemetry.
    inFlight++;
    clients[0]!.publish(
      `${prefix}/devices/${driver.id(d)}/meta`,
      driver.metaJson(d),
      { qos: 1, retain: true },
      done,
    );
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  return { ms: performance.now() - began };
}

process.on('message', (m: LoadCommand) => {
  if (m.cmd === 'meta') void meta(m.rate).then((r) => process.send!(r));
  else if (m.cmd === 'run') void run(m).then((r) => process.send!(r));
  else {
    void Promise.all(clients.map((c) => c.endAsync(true))).finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
