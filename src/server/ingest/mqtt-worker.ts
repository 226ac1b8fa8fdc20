// The MQTT connection, in a worker thread of its own. It receives and acknowledges while the main
// thread is busy with a tick, a save or a GC pause: a broker gives a QoS 1 subscriber only a small
// window of unacknowledged messages (20 on Mosquitto) and a short queue behind it (1,000), so a
// main thread that stops reading for a quarter of a second at 40,000 messages/s would make the
// broker drop. Messages go to the main thread in batches; when it falls behind by more than
// maxPendingMessages, acknowledgements wait for it and the broker queues, as before.
import mqtt, { type IClientOptions } from 'mqtt';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromMqttWorker, MqttLinkState, MqttWorkerConfig, ToMqttWorker } from './mqtt-link.ts';

/** A batch goes out at the end of the socket read that filled it, or at this size. */
const FLUSH_BYTES = 256 * 1024;
const FLUSH_MESSAGES = 1000;

const config = workerData as MqttWorkerConfig;
const port = parentPort!;
const post = (message: FromMqttWorker, transfer?: ArrayBuffer[]) =>
  port.postMessage(message, transfer);
const log = (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string) =>
  post({ type: 'log', level, fields, message });

const state: MqttLinkState = {
  connected: false,
  subscribed: false,
  since: Date.now(),
  reconnects: 0,
  lastError: null,
};
const publishState = () => post({ type: 'state', state: { ...state } });

let retryMs = config.firstRetryMs;
const options: IClientOptions = {
  clientId: config.clientId,
  protocolVersion: 5,
  clean: false,
  properties: { sessionExpiryInterval: config.sessionExpiryS },
  reconnectPeriod: config.firstRetryMs,
  connectTimeout: 10_000,
  keepalive: 30,
  resubscribe: false,
};
const client = mqtt.connect(config.url, options);
let stopping = false;

client.on('connect', (connack) => {
  // Acknowledgements leave at once (they are corked per batch below, so this adds no packets):
  // with Nagle's algorithm a PUBACK could wait for the broker's delayed ACK, and the broker
  // sends nothing more once 20 messages wait for theirs.
  (client.stream as Partial<Socket>).setNoDelay?.(true);
  retryMs = config.firstRetryMs;
  client.options.reconnectPeriod = retryMs;
  state.connected = true;
  state.since = Date.now();
  state.lastError = null;
  publishState();
  log(
    'info',
    { clientId: config.clientId, sessionPresent: connack.sessionPresent },
    'mqtt connected',
  );
  // The broker kept our subscriptions if it kept the session; subscribing again is harmless
  // and covers a broker that lost it (restarted without persistence).
  void subscribe();
});
client.on('close', () => {
  const was = state.connected;
  state.subscribed = false;
  state.connected = false;
  if (was) {
    state.since = Date.now();
    // A stop closes the connection on purpose: nothing to warn about, no reconnect follows.
    if (stopping) log('info', {}, 'mqtt disconnected');
    else log('warn', {}, 'mqtt connection lost; reconnecting');
  }
  publishState();
});
client.on('reconnect', () => {
  state.reconnects++;
  // Back off: 1 s, 2 s, 4 s … 30 s between attempts while the broker stays away.
  retryMs = Math.min(config.maxRetryMs, retryMs * 2);
  client.options.reconnectPeriod = retryMs;
  publishState();
});
client.on('error', (err) => {
  state.lastError = err.message;
  publishState();
  log('warn', { err: err.message }, 'mqtt error');
});

async function subscribe(): Promise<void> {
  try {
    for (const topic of config.topics) await client.subscribeAsync(topic, { qos: config.qos });
    state.subscribed = client.connected;
    publishState();
    log('info', { topics: config.topics }, 'mqtt subscribed');
  } catch (err) {
    state.lastError = (err as Error).message;
    publishState();
    log('error', { err: (err as Error).message }, 'mqtt subscribe failed');
  }
}

// The batch being filled.
let topics: string[] = [];
let payloads: Uint8Array[] = [];
let bytes = 0;
let flushQueued = false;
// Handed to the main thread and not yet processed; and acknowledgements held back meanwhile.
let pendingMessages = 0;
let pendingBytes = 0;
const heldBack: (() => void)[] = [];

// The socket is corked while a batch fills: its acknowledgements go out in one write.
let corked: Duplex | null = null;

client.on('message', (topic, payload) => {
  if (!corked && typeof client.stream.cork === 'function') {
    corked = client.stream;
    corked.cork();
  }
  topics.push(topic);
  payloads.push(payload);
  bytes += payload.byteLength;
  if (bytes >= FLUSH_BYTES || topics.length >= FLUSH_MESSAGES) flush();
  else if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
});

// MQTT.js sends a QoS 1 message's PUBACK, and reads the next packet, when this calls back.
client.handleMessage = (_packet, callback) => {
  if (
    pendingMessages + topics.length < config.maxPendingMessages &&
    pendingBytes + bytes < config.maxPendingBytes
  ) {
    callback();
  } else {
    heldBack.push(() => callback());
  }
};

function flush(): void {
  flushQueued = false;
  if (corked) {
    corked.uncork();
    corked = null;
  }
  if (topics.length === 0) return;
  // A fresh buffer, never Node's shared pool: it is transferred, not copied.
  const data = new Uint8Array(bytes);
  const ends = new Uint32Array(topics.length);
  let at = 0;
  for (let i = 0; i < payloads.length; i++) {
    data.set(payloads[i]!, at);
    at += payloads[i]!.byteLength;
    ends[i] = at;
  }
  pendingMessages += topics.length;
  pendingBytes += bytes;
  post({ type: 'batch', topics, data, ends }, [data.buffer, ends.buffer]);
  topics = [];
  payloads = [];
  bytes = 0;
}

port.on('message', (message: ToMqttWorker) => {
  if (message.type === 'processed') {
    pendingMessages -= message.messages;
    pendingBytes -= message.bytes;
    while (
      heldBack.length &&
      pendingMessages < config.maxPendingMessages &&
      pendingBytes < config.maxPendingBytes
    ) {
      heldBack.shift()!();
    }
  } else if (message.type === 'stop') {
    stopping = true;
    // Acknowledge what is held back: the main thread processes every batch this thread posts
    // before it exits, so nothing acknowledged is lost.
    for (const release of heldBack.splice(0)) release();
    // A client still connecting has no session to close politely (and a DISCONNECT queued for
    // a socket that is not connected yet would hold the worker until the broker times out).
    void client
      .endAsync(!client.connected)
      .catch(() => client.end(true))
      .then(() => {
        // The last batch; the main thread counts everything posted once this thread has exited.
        flush();
        port.close();
      });
  }
});
