import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../src/protocol/api.ts';
import type { Kpis } from '../../src/protocol/metrics.ts';
import {
  closeSockets,
  openSocket,
  startServer,
  subscribe,
  waitFor,
  type RunningServer,
} from '../support/server.ts';
import { serviceUrl } from '../support/services.ts';

const brokerUrl = serviceUrl('MERIDIAN_TEST_MQTT_URL');
const MOSQUITTO = '/usr/sbin/mosquitto';
// Each run has its own topics and client ids, so runs never see each other's messages.
const run = randomBytes(4).toString('hex');
const PREFIX = `meridian-test/${run}`;
const clients: MqttClient[] = [];
const retained = new Set<string>();
let dataDir: string;

async function publisher(url = brokerUrl!, options: mqtt.IClientOptions = {}) {
  const c = await mqtt.connectAsync(url, {
    clientId: `pub-${run}-${clients.length}`,
    reconnectPeriod: 0,
    ...options,
  });
  clients.push(c);
  return c;
}

async function publish(c: MqttClient, topic: string, body: unknown, retain = false) {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  await c.publishAsync(`${PREFIX}/${topic}`, payload, { qos: 1, retain });
  if (retain) retained.add(`${PREFIX}/${topic}`);
}

function meridian(env: Record<string, string> = {}, url = brokerUrl!) {
  return startServer({
    DATA_DIR: dataDir,
    TICK_MS: '1000',
    TICK_GRACE_MS: '50',
    MQTT_URL: url,
    MQTT_TOPIC_PREFIX: PREFIX,
    MQTT_CLIENT_ID: `meridian-${run}`,
    HEARTBEAT_TIMEOUT: '5s',
    ...env,
  });
}

async function subscribed(server: RunningServer, ms = 10_000) {
  await waitFor(() => server.mqtt!.status().subscribed, ms, 'Meridian to subscribe');
}

/** The latest figures of a scope as a browser would get them. */
async function kpis(server: RunningServer, scope: string): Promise<Kpis> {
  const socket = openSocket(server.url);
  const ack = await subscribe(socket, { scope });
  socket.close();
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.data.kpis;
}

async function until(server: RunningServer, scope: string, want: Partial<Kpis>, ms = 8000) {
  let last: Kpis | null = null;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    last = await kpis(server, scope);
    if (Object.entries(want).every(([k, v]) => last![k as keyof Kpis] === v)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(last).toMatchObject(want);
  return last!;
}

async function bytesIn(server: RunningServer, scope: string, from: number, to: number) {
  const res = await server.app.inject({
    url: `/api/v1/history?scope=${scope}&metrics=bytesInRate&from=${from}&to=${to}&maxPoints=1000`,
  });
  const h = res.json() as HistoryResponse;
  expect(h.stepMs).toBe(1000);
  return h.series.bytesInRate!.reduce<number>((s, v) => s + (v ?? 0), 0);
}

const meta = (site: string) => ({ site, tech: 'nb-iot', class: 'smart-meter' });
const second = (t: number) => Math.floor(t / 1000) * 1000;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'meridian-mqtt-'));
});
afterEach(() => closeSockets());
afterAll(async () => {
  // Clear what this run retained on the shared broker.
  if (brokerUrl && retained.size) {
    const c = await publisher();
    for (const topic of retained) await c.publishAsync(topic, '', { qos: 1, retain: true });
  }
  await Promise.all(clients.map((c) => c.endAsync(true)));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!brokerUrl)('MQTT ingest against a real broker', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await meridian();
    await subscribed(server);
  });
  afterAll(async () => server?.close());

  it('shows exactly the fleet a device client published, live and in history', async () => {
    const c = await publisher();
    const devices = Array.from({ length: 12 }, (_, i) => `fleet-${i}`);
    for (const [i, id] of devices.entries()) {
      await publish(c, `devices/${id}/meta`, meta(i < 8 ? 'fr-paris' : 'fr-lyon'), true);
    }
    const t0 = second(Date.now()) - 5000;
    for (const id of devices) {
      await publish(c, `devices/${id}/telemetry`, { boot: 'b1', ts: t0, bytesIn: 100, msgs: 1 });
    }
    for (const id of devices) {
      const report = { boot: 'b1', ts: t0 + 3000, bytesIn: 3100, msgs: 4 };
      await publish(c, `devices/${id}/telemetry`, report);
      // QoS 1 may deliver twice: a repeat counts nothing.
      await publish(c, `devices/${id}/telemetry`, report);
    }
    await until(server, 'country:FR', { devices: 12, online: 12, offline: 0 });
    await until(server, 'site:fr-lyon', { devices: 4, online: 4 });
    // 12 devices × 3,000 bytes over the three seconds after the baseline.
    expect(await bytesIn(server, 'country:FR', t0 - 2000, t0 + 6000)).toBe(36_000);
    expect(server.ingest!.stats.duplicates.mqtt).toBeGreaterThanOrEqual(12);
  });

  it('marks a device offline by its Last Will, and by silence after the heartbeat timeout', async () => {
    const c = await publisher();
    await publish(c, 'devices/will-1/meta', meta('de-berlin'), true);
    await publish(c, 'devices/quiet-1/meta', meta('de-berlin'), true);
    const device = await publisher(brokerUrl, {
      will: {
        topic: `${PREFIX}/devices/will-1/status`,
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    });
    retained.add(`${PREFIX}/devices/will-1/status`);
    await publish(device, 'devices/will-1/status', { status: 'online' }, true);
    await publish(c, 'devices/quiet-1/status', 'online');
    await until(server, 'site:de-berlin', { devices: 2, online: 2 });
    // The device's connection drops without a goodbye: the broker publishes its will.
    device.stream.destroy();
    await until(server, 'site:de-berlin', { devices: 2, online: 1, offline: 1 });
    // quiet-1 says nothing more: offline after 5 s of silence.
    await until(server, 'site:de-berlin', { devices: 2, online: 0, offline: 2 }, 10_000);
  });

  it('takes every message the broker sends while its main thread is busy', async () => {
    // Mosquitto keeps 20 QoS 1 messages waiting for an acknowledgement and queues 1,000 more
    // per client (its defaults, as on this broker); past that it drops. 3,000 reports arrive,
    // 1,500 a second (a pace the broker delivers with ease), while Meridian's main thread is
    // held up for 4 s, as by a long save or a GC pause.
    const DEVICES = 100;
    const REPORTS = 30;
    const c = await publisher();
    for (let d = 0; d < DEVICES; d++)
      await publish(c, `devices/busy-${d}/meta`, meta('nl-amsterdam'));
    await until(server, 'site:nl-amsterdam', { devices: DEVICES });
    const accepted = server.ingest!.stats.accepted.mqtt;
    const dropped = () =>
      server.ingest!.stats.drops().reduce((n, [s, , k]) => n + (s === 'mqtt' ? k : 0), 0);
    const droppedBefore = dropped();
    // The publisher is another process: this one is about to be blocked.
    const t0 = Date.now() - 60_000;
    const script = `
      import mqtt from 'mqtt';
      const c = await mqtt.connectAsync(${JSON.stringify(brokerUrl)}, { clientId: 'pub-busy-${run}' });
      console.log('ready');
      process.stdin.once('data', async () => {
        for (let k = 1; k <= ${REPORTS}; k++) {
          const sent = [];
          for (let d = 0; d < ${DEVICES}; d++) {
            const body = { boot: 'b1', ts: ${t0} + k * 1000, msgs: k, bytesIn: k * 10 };
            sent.push(c.publishAsync('${PREFIX}/devices/busy-' + d + '/telemetry', JSON.stringify(body), { qos: 1 }));
          }
          await Promise.all(sent);
          await new Promise((r) => setTimeout(r, 60));
        }
        console.log('done ' + Date.now());
        await c.endAsync();
      });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    child.stdin!.write('go\n');
    const blockedUntil = Date.now() + 4000;
    while (Date.now() < blockedUntil) {
      // Busy: no timer, no socket, nothing else runs on this thread meanwhile.
    }
    const done = String((await lines.next()).value);
    child.stdin!.end();
    // Every report was published and acknowledged by the broker while this thread was blocked.
    expect(Number(done.split(' ')[1])).toBeLessThan(blockedUntil);
    await waitFor(
      () => server.ingest!.stats.accepted.mqtt - accepted >= DEVICES * REPORTS,
      10_000,
      'every report counted',
    );
    expect(server.ingest!.stats.accepted.mqtt - accepted).toBe(DEVICES * REPORTS);
    expect(dropped()).toBe(droppedBefore);
  });

  it('drops a message that is not UTF-8 as malformed, and takes the ones after it', async () => {
    const c = await publisher();
    const malformed = () =>
      server.ingest!.stats.drops().find(([s, r]) => s === 'mqtt' && r === 'malformed')?.[2] ?? 0;
    const before = malformed();
    // Bytes a lenient decoder would have let through as U+FFFD: a Latin-1 é in a site name, a
    // lone 0xff in a boot id inside a gateway batch, and a Last Will word with a stray byte.
    const latin1 = Buffer.concat([
      Buffer.from('{"site":"fr-par'),
      Buffer.from([0xe9]),
      Buffer.from('is","tech":"nb-iot","class":"smart-meter"}'),
    ]);
    await publish(c, 'devices/latin-1/meta', latin1);
    const record =
      '{"type":"meta","device":"latin-2","site":"fr-lyon","tech":"wifi","class":"camera"}';
    const batch = Buffer.concat([
      Buffer.from(`[${record},{"type":"telemetry","device":"latin-2","boot":"`),
      Buffer.from([0xff]),
      Buffer.from(`","ts":${Date.now()},"bytesIn":1}]`),
    ]);
    await publish(c, 'gateways/gw-utf8/batch', batch);
    await publish(c, 'devices/utf8-ok/meta', meta('pt-lisbon'));
    await publish(
      c,
      'devices/utf8-ok/status',
      Buffer.concat([Buffer.from('online'), Buffer.from([0xc0])]),
    );
    await publish(c, 'devices/utf8-ok/status', 'online');
    await waitFor(() => malformed() - before === 3, 5000, 'three malformed messages');
    await until(server, 'site:pt-lisbon', { devices: 1, online: 1 });
    // Neither device of the refused messages exists, not even the batch's valid meta record.
    for (const id of ['latin-1', 'latin-2']) {
      expect((await server.app.inject({ url: `/api/v1/devices/${id}` })).statusCode).toBe(404);
    }
    const metrics = (await server.app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain(
      `meridian_ingest_rejected_total{source="mqtt",reason="malformed"} ${malformed()}`,
    );
  });
});

describe.skipIf(!brokerUrl)('MQTT ingest across restarts', () => {
  it('counts what was published while Meridian was stopped, once', async () => {
    let server = await meridian({ MQTT_CLIENT_ID: `meridian-${run}-r` });
    await subscribed(server);
    const c = await publisher();
    await publish(c, 'devices/away-1/meta', meta('es-madrid'), true);
    const t0 = second(Date.now()) - 2000;
    await publish(c, 'devices/away-1/telemetry', { boot: 'x', ts: t0, bytesIn: 0 });
    await until(server, 'site:es-madrid', { devices: 1, online: 1 });
    await server.close();

    // Meridian is down; the broker queues these for its persistent session.
    await publish(c, 'devices/away-1/telemetry', { boot: 'x', ts: t0 + 1000, bytesIn: 500 });
    await publish(c, 'devices/away-1/telemetry', { boot: 'x', ts: t0 + 2000, bytesIn: 900 });
    server = await meridian({ MQTT_CLIENT_ID: `meridian-${run}-r` });
    try {
      // Both queued reports arrive; together they say 900 bytes since the baseline.
      let bytes = 0;
      for (let i = 0; i < 50 && bytes < 900; i++) {
        bytes = await bytesIn(server, 'country:ES', t0 - 1000, t0 + 4000);
        if (bytes < 900) await new Promise((r) => setTimeout(r, 200));
      }
      expect(bytes).toBe(900);
      await until(server, 'site:es-madrid', { devices: 1, online: 1 });
    } finally {
      await server.close();
    }
  });

  it('survives a broker restart without being restarted itself', async () => {
    const port = await freePort();
    let broker = await startMosquitto(port);
    const url = `mqtt://127.0.0.1:${port}`;
    const dir = mkdtempSync(join(tmpdir(), 'meridian-mqtt-b-'));
    const server = await meridian({ MQTT_CLIENT_ID: `meridian-${run}-b`, DATA_DIR: dir }, url);
    try {
      await subscribed(server);
      broker.kill('SIGKILL');
      await waitFor(() => !server.mqtt!.status().connected, 5000, 'Meridian to see the broker go');
      broker = await startMosquitto(port);
      await subscribed(server, 20_000);
      expect(server.mqtt!.status().reconnects).toBeGreaterThan(0);
      const c = await publisher(url);
      await publish(c, 'devices/back-1/meta', meta('it-rome'));
      await publish(c, 'devices/back-1/status', 'online');
      await until(server, 'site:it-rome', { devices: 1, online: 1 });
    } finally {
      await server.close();
      broker.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.skipIf(!brokerUrl)('MQTT ingest on several nodes', () => {
  it('splits a stream between nodes of one share group, each message to one node', async () => {
    // Two nodes, each with its own session and data, in one group ($share/<group>/…).
    const dirs = [1, 2].map((n) => mkdtempSync(join(tmpdir(), `meridian-mqtt-s${n}-`)));
    const node = (n: number) =>
      meridian({
        MQTT_CLIENT_ID: `meridian-${run}-s${n}`,
        MQTT_SHARE_GROUP: `g-${run}`,
        DATA_DIR: dirs[n - 1]!,
      });
    const nodes = [await node(1), await node(2)];
    try {
      for (const n of nodes) await subscribed(n);
      // A gateway's batch describes its devices and their status, so whichever node gets
      // it can place them (retained messages are not sent to shared subscriptions).
      const c = await publisher();
      const batches = 20;
      for (let b = 0; b < batches; b++) {
        const records = Array.from({ length: 5 }, (_, k) => `gw${b}-dev${k}`).flatMap((id) => [
          { type: 'meta', device: id, ...meta('pt-lisbon') },
          { type: 'status', device: id, status: 'online' },
        ]);
        await publish(c, `gateways/gw-${b}/batch`, records);
      }
      const devices = async () =>
        Promise.all(nodes.map(async (n) => (await kpis(n, 'site:pt-lisbon')).devices));
      let counted = await devices();
      for (let i = 0; i < 50 && counted[0]! + counted[1]! < batches * 5; i++) {
        await new Promise((r) => setTimeout(r, 200));
        counted = await devices();
      }
      // Every device once across the nodes, and each node took a share.
      expect(counted[0]! + counted[1]!).toBe(batches * 5);
      expect(Math.min(...counted)).toBeGreaterThan(0);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A broker of our own (no persistence: a restart loses every session, the hard case). */
async function startMosquitto(port: number): Promise<ChildProcess> {
  const conf = join(dataDir, `mosquitto-${port}.conf`);
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
        reconnectPeriod: 0,
        connectTimeout: 500,
      });
      await c.endAsync(true);
      return child;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
