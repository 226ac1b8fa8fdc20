import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
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
 * by itself with backoff. Every message is checked and handed to the ingest engine; none can
 * stop the ones after it.
 */
export class MqttSource {
  private client: MqttClient | null = null;
  private retryMs = FIRST_RETRY_MS;
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
    if (this.client) return;
    const options: IClientOptions = {
      clientId: this.o.clientId,
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: SESSION_EXPIRY_S },
      reconnectPeriod: FIRST_RETRY_MS,
      connectTimeout: 10_000,
      keepalive: 30,
      resubscribe: false,
    };
    const client = mqtt.connect(this.o.url, options);
    this.client = client;
    client.on('connect', (connack) => {
      this.retryMs = FIRST_RETRY_MS;
      client.options.reconnectPeriod = FIRST_RETRY_MS;
      this.state.connected = true;
      this.state.since = Date.now();
      this.state.lastError = null;
      this.o.logger.info(
        { url: this.state.url, clientId: this.o.clientId, sessionPresent: connack.sessionPresent },
        'mqtt connected',
      );
      // The broker kept our subscriptions if it kept the session; subscribing again is harmless
      // and covers a broker that lost it (restarted without persistence).
      void this.subscribe(client);
    });
    client.on('close', () => {
      this.state.subscribed = false;
      if (this.state.connected) {
        this.state.connected = false;
        this.state.since = Date.now();
        this.o.logger.warn({ url: this.state.url }, 'mqtt connection lost; reconnecting');
      }
    });
    client.on('reconnect', () => {
      this.state.reconnects++;
      // Back off: 1 s, 2 s, 4 s … 30 s between attempts while the broker stays away.
      this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
      client.options.reconnectPeriod = this.retryMs;
    });
    client.on('error', (err) => {
      this.state.lastError = err.message;
      this.o.logger.warn({ url: this.state.url, err: err.message }, 'mqtt error');
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.endAsync(false).catch(() => client.end(true));
    this.state.connected = false;
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

  private async subscribe(client: MqttClient): Promise<void> {
    try {
      for (const topic of this.topics()) await client.subscribeAsync(topic, { qos: this.o.qos });
      this.state.subscribed = client.connected;
      this.o.logger.info({ topics: this.topics() }, 'mqtt subscribed');
    } catch (err) {
      this.state.lastError = (err as Error).message;
      this.o.logger.error({ err: (err as Error).message }, 'mqtt subscribe failed');
    }
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
