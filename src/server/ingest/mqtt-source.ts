import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import {
  DEVICE_ID,
  ingestRecordSchema,
  metaBodySchema,
  statusBodySchema,
  telemetryBodySchema,
} from '../../protocol/ingest.ts';
import { fastIngestRecord, fastMetaBody, fastStatusBody, fastTelemetryBody } from './fast-parse.ts';
import type { IngestEngine } from './ingest-engine.ts';
import type { IngestStats } from './ingest-stats.ts';
import { describeIssue, parseJson } from './parse.ts';
import { STATUSES } from '../../protocol/dimensions.ts';
import type { FromMqttWorker, MqttBatch, MqttWorkerConfig, ToMqttWorker } from './mqtt-link.ts';

export interface MqttSourceOptions {
  url: string;
  topicPrefix: string;
  clientId: string;
  qos: 0 | 1;
  shareGroup: string | null;
  maxMessageBytes: number;
  engine: IngestEngine;
  stats: IngestStats;
  logger: Logger;
}

export interface MqttStatus {
  url: string;
  connected: boolean;
  /** Subscribed to every device topic on the current connection. */
  subscribed: boolean;
  /** Epoch ms of the last connect or disconnect. */
  since: number;
  reconnects: number;
  lastError: string | null;
}

/** How long a broker's session keeps our subscription and queued QoS 1 messages while we are away. */
const SESSION_EXPIRY_S = 7 * 24 * 3600;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/**
 * Received but not yet processed, beyond which the broker is made to queue (see mqtt-worker.ts):
 * enough to ride out a pause of the main thread (about a second of 40,000 small messages/s, or of
 * 250,000 records/s in gateway batches), not to hide a main thread that cannot keep up.
 */
const MAX_PENDING_MESSAGES = 50_000;
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** Main-thread time spent on received batches before ticks, sockets and timers get a turn. */
const BATCH_BUDGET_MS = 10;
/** How long a stop waits for the worker to disconnect cleanly. */
const STOP_TIMEOUT_MS = 5000;
const KINDS = ['meta', 'status', 'telemetry'] as const;
/** Each per-device topic's body: the fast validator, and its schema for the error message. */
const BODIES = {
  meta: { fast: fastMetaBody, schema: metaBodySchema },
  status: { fast: fastStatusBody, schema: statusBodySchema },
  telemetry: { fast: fastTelemetryBody, schema: telemetryBodySchema },
} as const;

/**
 * Subscribes to the device topics with QoS 1 on a persistent session (MQTT 5, session expiry
 * > 0), so what devices publish while Meridian is down is delivered when it is back; reconnects
 * by itself with backoff. The connection lives in a worker thread (mqtt-worker.ts), so a busy
 * main thread does not make the broker drop; every message is checked here, on the main thread,
 * and handed to the ingest engine; none can stop the ones after it.
 */
export class MqttSource {
  private worker: Worker | null = null;
  /** Batches received and not yet processed, oldest first; drained a time budget per turn. */
  private readonly queue: { worker: Worker; batch: MqttBatch }[] = [];
  private draining: NodeJS.Immediate | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Wait before starting a worker again after one exited by itself; doubles up to 30 s. */
  private restartMs = FIRST_RETRY_MS;
  /** Reconnects counted by workers that have exited, so /healthz keeps the total. */
  private reconnectsBefore = 0;
  private readonly state: MqttStatus;
  private readonly prefix: string;

  constructor(private readonly o: MqttSourceOptions) {
    this.prefix = `${o.topicPrefix}/`;
    this.state = {
      url: redact(o.url),
      connected: false,
      subscribed: false,
      since: Date.now(),
      reconnects: 0,
      lastError: null,
    };
  }

  status(): MqttStatus {
    return { ...this.state };
  }

  start(): void {
    if (this.worker) return;
    this.stopping = false;
    const config: MqttWorkerConfig = {
      url: this.o.url,
      clientId: this.o.clientId,
      qos: this.o.qos,
      topics: this.topics(),
      sessionExpiryS: SESSION_EXPIRY_S,
      firstRetryMs: FIRST_RETRY_MS,
      maxRetryMs: MAX_RETRY_MS,
      maxPendingMessages: MAX_PENDING_MESSAGES,
      maxPendingBytes: MAX_PENDING_BYTES,
    };
    const worker = new Worker(workerUrl(), { workerData: config, name: 'meridian-mqtt' });
    this.worker = worker;
    const log = this.o.logger.child({ url: this.state.url });
    worker.on('message', (message: FromMqttWorker) => {
      switch (message.type) {
        case 'batch':
          // A port delivers every message waiting for it in one go: after a pause that can be
          // seconds of work, so it is queued here and processed a few ms per event-loop turn.
          this.queue.push({ worker, batch: message });
          this.draining ??= setImmediate(this.drain);
          return;
        case 'state':
          if (message.state.connected) this.restartMs = FIRST_RETRY_MS;
          Object.assign(this.state, message.state);
          // Counted across worker restarts.
          this.state.reconnects = this.reconnectsBefore + message.state.reconnects;
          return;
        case 'log':
          return log[message.level](message.fields, message.message);
      }
    });
    worker.on('error', (err) => {
      // A bug in the worker: log it, and connect again from a fresh one.
      this.state.lastError = err.message;
      log.error({ err }, 'mqtt worker failed');
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.reconnectsBefore = this.state.reconnects;
      this.state.connected = false;
      this.state.subscribed = false;
      this.state.since = Date.now();
      if (this.stopping) return;
      log.error({ code, retryMs: this.restartMs }, 'mqtt worker exited; starting it again');
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.stopping) this.start();
      }, this.restartMs);
      this.restartMs = Math.min(MAX_RETRY_MS, this.restartMs * 2);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    try {
      if (worker) {
        // Not events.once: it rejects on an 'error' from the worker, and then the drain below
        // would be skipped.
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ type: 'stop' } satisfies ToMqttWorker);
        const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
    } finally {
      // Everything a worker acknowledged (a crashed one's too) is counted before the ingest
      // state is saved.
      if (this.draining) clearImmediate(this.draining);
      this.draining = null;
      this.drainAll();
      this.worker = null;
      this.state.connected = false;
      this.state.subscribed = false;
    }
  }

  private readonly drain = (): void => {
    this.draining = null;
    const began = performance.now();
    while (this.queue.length && performance.now() - began < BATCH_BUDGET_MS) {
      const { worker, batch } = this.queue.shift()!;
      this.onBatch(worker, batch);
    }
    if (this.queue.length) this.draining = setImmediate(this.drain);
  };

  private drainAll(): void {
    for (const { worker, batch } of this.queue.splice(0)) this.onBatch(worker, batch);
  }

  /** Processes one batch from the worker and tells it so (it holds back acks past a limit). */
  private onBatch(worker: Worker, batch: MqttBatch): void {
    let start = 0;
    for (let i = 0; i < batch.topics.length; i++) {
      const end = batch.ends[i]!;
      this.onMessage(batch.topics[i]!, batch.data.subarray(start, end));
      start = end;
    }
    // A worker that has exited (stop, crash) has no one to tell.
    if (worker !== this.worker) return;
    worker.postMessage({
      type: 'processed',
      messages: batch.topics.length,
      bytes: batch.data.byteLength,
    } satisfies ToMqttWorker);
  }

  /** The topic filters, as subscribed (with the shared-subscription group if any). */
  topics(): string[] {
    const p = this.o.topicPrefix;
    const share = (t: string) => (this.o.shareGroup ? `$share/${this.o.shareGroup}/${t}` : t);
    return [
      // Metadata first: a retained meta must place a device before its telemetry counts.
      `${p}/devices/+/meta`,
      `${p}/devices/+/status`,
      `${p}/devices/+/telemetry`,
      `${p}/gateways/+/batch`,
    ].map(share);
  }

  /** Never throws: a bad message is counted, logged and dropped. */
  onMessage(topic: string, payload: Uint8Array): void {
    const { stats, engine } = this.o;
    if (payload.byteLength === 0) return; // clearing a retained message
    if (payload.byteLength > this.o.maxMessageBytes) {
      stats.drop(
        'mqtt',
        'oversized',
        topic,
        `${payload.byteLength} bytes > ${this.o.maxMessageBytes}`,
      );
      return;
    }
    const parts = topic.startsWith(this.prefix) ? topic.slice(this.prefix.length).split('/') : [];
    const [area, id, kind] = parts;
    if (parts.length !== 3 || !id || !DEVICE_ID.test(id)) {
      stats.drop('mqtt', 'unknown_topic', topic, 'topic is not in the device or gateway scheme');
      return;
    }
    try {
      if (area === 'gateways' && kind === 'batch') return this.batch(topic, payload);
      if (area !== 'devices' || !KINDS.includes(kind as (typeof KINDS)[number])) {
        stats.drop('mqtt', 'unknown_topic', topic, 'topic is not in the device or gateway scheme');
        return;
      }
      const json = parseStatusOrJson(kind!, payload);
      if (!json.ok) return void stats.drop('mqtt', 'malformed', topic, json.message, payload);
      const body = BODIES[kind as (typeof KINDS)[number]];
      // The fast path accepts exactly what the schema does; zod runs only for its error message.
      let data: object | null = body.fast(json.value);
      if (!data) {
        const parsed = body.schema.safeParse(json.value);
        if (!parsed.success) {
          stats.drop('mqtt', 'invalid', topic, describeIssue(parsed.error), json.value);
          return;
        }
        data = parsed.data;
      }
      engine.handle({ ...data, type: kind, device: id } as never, 'mqtt', topic);
    } catch (err) {
      // A bug of ours must not stop the stream either; it is logged as such.
      this.o.logger.error({ err, topic }, 'ingest failed on an MQTT message');
    }
  }

  private batch(topic: string, payload: Uint8Array): void {
    const { stats, engine } = this.o;
    const json = parseJson(payload);
    if (!json.ok) return void stats.drop('mqtt', 'malformed', topic, json.message, payload);
    const value = json.value;
    const records = Array.isArray(value)
      ? value
      : typeof value === 'object' &&
          value !== null &&
          Array.isArray((value as { records?: unknown }).records)
        ? (value as { records: unknown[] }).records
        : null;
    if (!records) {
      stats.drop(
        'mqtt',
        'malformed',
        topic,
        'a batch is a JSON array of records or { "records": [...] }',
        value,
      );
      return;
    }
    if (records.length === 0) {
      // Nothing to count, but a gateway sending empty batches is worth seeing, as over HTTP.
      stats.drop('mqtt', 'empty', topic, 'the batch is empty: no record in it', value);
      return;
    }
    for (const item of records) {
      const record = fastIngestRecord(item);
      if (record) {
        engine.handle(record, 'mqtt', topic);
        continue;
      }
      // Rejected by the fast path: zod says why (and would take anything the fast path missed).
      const parsed = ingestRecordSchema.safeParse(item);
      if (!parsed.success) {
        stats.drop('mqtt', 'invalid', topic, describeIssue(parsed.error), item);
        continue;
      }
      engine.handle(parsed.data, 'mqtt', topic);
    }
  }
}

/** A status may be plain text (`offline`), the easiest Last Will to configure. */
function parseStatusOrJson(kind: string, payload: Uint8Array) {
  if (kind === 'status' && payload.byteLength <= 16) {
    const text = Buffer.from(payload).toString('utf8').trim();
    if ((STATUSES as readonly string[]).includes(text))
      return { ok: true as const, value: { status: text } };
  }
  return parseJson(payload);
}

/** The bundled worker beside the bundled server, or the source through tsx in tests. */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./mqtt-worker-dev.mjs', import.meta.url)
    : new URL('./mqtt-worker.mjs', import.meta.url);
}

/** The broker URL without a password, for logs and /healthz. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'mqtt://?';
  }
}
