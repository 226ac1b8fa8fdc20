import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** What the load generator has sent, for its status line. */
export class PublishStats {
  records = 0;
  messages = 0;
  errors = 0;
  /** Reports not sent because too many publishes were still unacknowledged. */
  deferred = 0;
  inFlight = 0;
  lastError: string | null = null;

  error(err: Error | string): void {
    this.errors++;
    this.lastError = typeof err === 'string' ? err : err.message;
  }

  /** Publishes and counts `records` records in one message; acknowledged or failed later. */
  publish(
    client: MqttClient,
    topic: string,
    payload: string,
    records: number,
    opts: { qos: 0 | 1; retain?: boolean },
  ): void {
    this.inFlight++;
    this.messages++;
    this.records += records;
    client.publish(topic, payload, opts, (err) => {
      this.inFlight--;
      if (err) this.error(err);
    });
  }
}

/** Connects one client, failing after 10 s instead of retrying forever. */
export async function connectClient(url: string, options: IClientOptions): Promise<MqttClient> {
  return mqtt.connectAsync(url, { connectTimeout: 10_000, reconnectPeriod: 2000, ...options });
}

/**
 * Publishes `count` messages made by `make(i)` on one connection with at most `window`
 * unacknowledged at a time (a broker drops what its queues cannot hold), reporting progress.
 */
export async function publishAll(
  client: MqttClient,
  stats: PublishStats,
  count: number,
  make: (i: number) => { topic: string; payload: string; retain: boolean } | null,
  qos: 0 | 1,
  window = 1000,
  progress?: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (next < count && next - done < window) {
        const m = make(next++);
        if (!m) {
          done++;
          continue;
        }
        stats.inFlight++;
        stats.messages++;
        client.publish(m.topic, m.payload, { qos, retain: m.retain }, (err) => {
          stats.inFlight--;
          if (err) stats.error(err);
          done++;
          if (done % 10_000 === 0) progress?.(done);
          if (done === count) resolve();
          else if (next - done < window / 2) pump();
        });
      }
      if (done === count) resolve();
    };
    pump();
  });
}

/** Waits until every publish has been acknowledged, or `ms` have passed. */
export async function drain(stats: PublishStats, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (stats.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}
