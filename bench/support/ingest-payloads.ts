// Realistic ingest payloads from the load generator's fleet driver (scripts/simulate): gateway
// batches of up to `gatewaySize` records, or one telemetry message per device, with the status
// model's offline/degraded spells, reboots and the traffic model's counters.
import {
  STATUS_CHANGED,
  TELEMETRY,
  type FleetDriver,
} from '../../scripts/simulate/fleet-driver.ts';

export interface Batch {
  /** Event time of every record in it (epoch ms). */
  t: number;
  topic: string;
  payload: Buffer;
  records: number;
}

/**
 * The batches gateways send during `seconds` seconds from `start`: gateway g (devices
 * [g·size, (g+1)·size)) reports every `intervalS` seconds, in second g mod intervalS, spread
 * over that second. The first interval holds every device's first report (its baseline).
 */
export function gatewayBatches(
  driver: FleetDriver,
  o: { prefix: string; gatewaySize: number; intervalS: number; start: number; seconds: number },
): Batch[] {
  const gateways = Math.ceil(driver.size / o.gatewaySize);
  const out: Batch[] = [];
  const records: string[] = [];
  for (let s = 0; s < o.seconds; s++) {
    const due: number[] = [];
    for (let g = s % o.intervalS; g < gateways; g += o.intervalS) due.push(g);
    due.forEach((g, k) => {
      const t = o.start + s * 1000 + Math.floor((k * 1000) / due.length);
      const topic = `${o.prefix}/gateways/gw-${g}/batch`;
      const flush = () => {
        if (!records.length) return;
        out.push({
          t,
          topic,
          payload: Buffer.from(`[${records.join(',')}]`),
          records: records.length,
        });
        records.length = 0;
      };
      const to = Math.min(driver.size, (g + 1) * o.gatewaySize);
      for (let d = g * o.gatewaySize; d < to; d++) {
        const flags = driver.step(d, t);
        if (flags & STATUS_CHANGED) records.push(driver.statusRecord(d, t));
        if (records.length >= o.gatewaySize) flush();
        if (flags & TELEMETRY) records.push(driver.telemetryRecord(d, t));
        if (records.length >= o.gatewaySize) flush();
      }
      flush();
    });
  }
  return out;
}

/** Every device's meta record, for registering the fleet before timing. */
export function metaRecords(driver: FleetDriver): { device: string; body: unknown }[] {
  return Array.from({ length: driver.size }, (_, d) => ({
    device: driver.id(d),
    body: JSON.parse(driver.metaJson(d)) as unknown,
  }));
}
