// What the MQTT worker thread and the main thread say to each other (see mqtt-worker.ts).

/** The worker's settings, passed as its workerData. */
export interface MqttWorkerConfig {
  url: string;
  clientId: string;
  qos: 0 | 1;
  topics: string[];
  /** How long the broker keeps our session (subscriptions and queued QoS 1 messages), s. */
  sessionExpiryS: number;
  firstRetryMs: number;
  maxRetryMs: number;
  /**
   * Messages handed to the main thread and not yet processed beyond which the worker stops
   * taking more from the broker (it holds back acknowledgements, so the broker queues).
   */
  maxPendingMessages: number;
  maxPendingBytes: number;
}

/** The connection as the worker sees it. */
export interface MqttLinkState {
  connected: boolean;
  /** Subscribed to every device topic on the current connection. */
  subscribed: boolean;
  /** Epoch ms of the last connect or disconnect. */
  since: number;
  reconnects: number;
  lastError: string | null;
}

/** Messages received together: message i is `topics[i]` with `data[ends[i-1] ?? 0 .. ends[i]]`. */
export interface MqttBatch {
  type: 'batch';
  topics: string[];
  data: Uint8Array;
  ends: Uint32Array;
}

export type FromMqttWorker =
  | MqttBatch
  | { type: 'state'; state: MqttLinkState }
  | {
      type: 'log';
      level: 'info' | 'warn' | 'error';
      fields: Record<string, unknown>;
      message: string;
    };

export type ToMqttWorker =
  /** The main thread has processed this many more messages. */
  { type: 'processed'; messages: number; bytes: number } | { type: 'stop' };
