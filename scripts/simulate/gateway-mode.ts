import type { MqttClient } from 'mqtt';
import { STATUS_CHANGED, TELEMETRY, type FleetDriver } from './fleet-driver.ts';
import { connectClient, type PublishStats } from './mqtt-io.ts';

export interface GatewayModeOptions {
  url: string;
  prefix: string;
  qos: 0 | 1;
  clientPrefix: string;
  /** Devices per gateway, and at most this many records per batch message. */
  gatewaySize: number;
  /** MQTT connections the gateways share. */
  connections: number;
  maxInFlight: number;
}

/**
 * Gateways speak for many devices: gateway g forwards devices [g·size, (g+1)·size) and sends
 * one batch of their records per interval (telemetry of the connected ones, status changes of
 * all), on a few shared connections. Memory does not grow with the fleet beyond the driver's
 * typed arrays.
 */
export class GatewayMode {
  private clients: MqttClient[] = [];
  private readonly records: string[] = [];
  private readonly announced: Uint8Array;
  private stopping = false;

  constructor(
    private readonly driver: FleetDriver,
    private readonly stats: PublishStats,
    private readonly o: GatewayModeOptions,
  ) {
    this.announced = new Uint8Array(this.units);
  }

  get units(): number {
    return Math.ceil(this.driver.size / this.o.gatewaySize);
  }

  async start(): Promise<void> {
    const n = Math.max(1, Math.min(this.o.connections, this.units));
    this.clients = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        connectClient(this.o.url, {
          clientId: `${this.o.clientPrefix}-gw${i}`,
          protocolVersion: 5,
          clean: true,
          keepalive: 60,
        }),
      ),
    );
    for (const c of this.clients) c.on('error', (err) => this.stats.error(err));
  }

  /** Gateway g's batch at time t. */
  report(g: number, t: number): void {
    if (this.stopping) return;
    const client = this.clients[g % this.clients.length]!;
    if (this.stats.inFlight * this.o.gatewaySize > this.o.maxInFlight || !client.connected) {
      this.stats.deferred++;
      return;
    }
    const driver = this.driver;
    const from = g * this.o.gatewaySize;
    const to = Math.min(driver.size, from + this.o.gatewaySize);
    // A gateway's first batch describes its devices too: retained meta sent in one burst can
    // overflow a slow subscriber's queue at the broker, and a device without meta is not counted.
    const announce = !this.announced[g];
    this.announced[g] = 1;
    for (let d = from; d < to; d++) {
      if (announce) this.add(g, driver.metaRecord(d));
      const flags = driver.step(d, t);
      if (flags & STATUS_CHANGED) this.add(g, driver.statusRecord(d, t));
      if (flags & TELEMETRY) this.add(g, driver.telemetryRecord(d, t));
    }
    this.flush(g);
  }

  /** Gateways report their connected devices offline, then disconnect. */
  async stop(): Promise<void> {
    this.stopping = true;
    const t = Date.now();
    for (let g = 0; g < this.units; g++) {
      const from = g * this.o.gatewaySize;
      const to = Math.min(this.driver.size, from + this.o.gatewaySize);
      for (let d = from; d < to; d++) {
        if (!this.driver.connected(d)) continue;
        this.driver.disconnect(d);
        this.add(g, this.driver.statusRecord(d, t));
      }
      this.flush(g);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.endAsync(false).catch(() => c.end(true))));
  }

  private add(g: number, record: string): void {
    this.records.push(record);
    if (this.records.length >= this.o.gatewaySize) this.flush(g);
  }

  private flush(g: number): void {
    if (this.records.length === 0) return;
    const client = this.clients[g % this.clients.length]!;
    const payload = `[${this.records.join(',')}]`;
    this.stats.publish(
      client,
      `${this.o.prefix}/gateways/gw-${g}/batch`,
      payload,
      this.records.length,
      {
        qos: this.o.qos,
      },
    );
    this.records.length = 0;
  }
}
