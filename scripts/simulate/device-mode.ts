import mqtt, { type MqttClient } from 'mqtt';
import { BOOTED, STATUS_CHANGED, TELEMETRY, type FleetDriver } from './fleet-driver.ts';
import type { PublishStats } from './mqtt-io.ts';

export interface DeviceModeOptions {
  url: string;
  prefix: string;
  qos: 0 | 1;
  /** Client ids are `${clientPrefix}-${deviceId}`. */
  clientPrefix: string;
  /** Stop sending while this many publishes wait for their acknowledgement. */
  maxInFlight: number;
}

/** MQTT 5 reason code of a DISCONNECT after which the broker still publishes the Last Will. */
const DISCONNECT_WITH_WILL = 0x04;

/**
 * Each device is its own MQTT connection, as a real device is: its Last Will is a retained
 * `offline` on its status topic. A device the status model takes offline drops its connection
 * (the broker publishes the will); when it comes back it connects again, says `online` (retained)
 * and reports counters of a new boot.
 */
export class DeviceMode {
  private readonly clients: (MqttClient | null)[];
  private stopping = false;

  constructor(
    private readonly driver: FleetDriver,
    private readonly stats: PublishStats,
    private readonly o: DeviceModeOptions,
  ) {
    this.clients = new Array<MqttClient | null>(driver.size).fill(null);
  }

  /** Units the schedule spreads over the interval: one per device. */
  get units(): number {
    return this.driver.size;
  }

  topic(d: number, kind: 'meta' | 'status' | 'telemetry'): string {
    return `${this.o.prefix}/devices/${this.driver.id(d)}/${kind}`;
  }

  /** Device d's report at time t. */
  report(d: number, t: number): void {
    if (this.stopping) return;
    const driver = this.driver;
    if (this.stats.inFlight > this.o.maxInFlight && driver.connected(d)) {
      // Its next report carries these counters too: nothing is lost but resolution.
      this.stats.deferred++;
      return;
    }
    const flags = driver.step(d, t);
    const client = this.clients[d] ?? null;
    if (!(flags & TELEMETRY)) {
      if (flags & STATUS_CHANGED && client) this.disconnect(d, client);
      return;
    }
    if (!client || flags & BOOTED) {
      // A (re)boot: a fresh connection, which says its status once connected.
      if (client) this.disconnect(d, client);
      this.connect(d);
      return;
    }
    if (!client.connected) return; // reconnecting; the next report carries the counters
    if (flags & STATUS_CHANGED) {
      this.stats.publish(client, this.topic(d, 'status'), driver.statusOf(d), 1, {
        qos: this.o.qos,
        retain: true,
      });
    }
    this.stats.publish(client, this.topic(d, 'telemetry'), driver.telemetryBody(d, t), 1, {
      qos: this.o.qos,
    });
  }

  /** Connected devices say goodbye with their will: Meridian shows them offline at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    const closing: Promise<void>[] = [];
    this.clients.forEach((client, d) => {
      if (!client) return;
      this.driver.disconnect(d);
      closing.push(this.disconnect(d, client));
    });
    await Promise.all(closing);
  }

  private connect(d: number): void {
    const driver = this.driver;
    const client = mqtt.connect(this.o.url, {
      clientId: `${this.o.clientPrefix}-${driver.id(d)}`,
      protocolVersion: 5,
      clean: true,
      keepalive: 60,
      reconnectPeriod: 5000,
      connectTimeout: 10_000,
      will: {
        topic: this.topic(d, 'status'),
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      },
    });
    this.clients[d] = client;
    client.on('connect', () => {
      if (this.clients[d] !== client || !driver.connected(d)) return;
      // Also after a reconnect: the broker has published our will meanwhile. The device
      // describes itself first, as the provisioning burst may not have reached every subscriber.
      const now = Date.now();
      this.stats.publish(client, this.topic(d, 'meta'), driver.metaJson(d), 1, {
        qos: this.o.qos,
        retain: true,
      });
      this.stats.publish(client, this.topic(d, 'status'), driver.statusOf(d), 1, {
        qos: this.o.qos,
        retain: true,
      });
      this.stats.publish(client, this.topic(d, 'telemetry'), driver.telemetryBody(d, now), 1, {
        qos: this.o.qos,
      });
    });
    client.on('error', (err) => this.stats.error(err));
  }

  private disconnect(d: number, client: MqttClient): Promise<void> {
    if (this.clients[d] === client) this.clients[d] = null;
    return new Promise((resolve) => {
      client.end(false, { reasonCode: DISCONNECT_WITH_WILL }, () => resolve());
    });
  }
}
