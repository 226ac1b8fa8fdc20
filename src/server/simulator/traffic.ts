import { DEVICE_CLASSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import { CELLS_PER_SITE, CLASS_COUNT, TRAFFIC_FIELDS } from '../aggregate/cells.ts';
import { hash32, unit } from '../core/random.ts';
import type { LocalTime } from './local-time.ts';
import { CLASS_PROFILES, DEGRADED_TRAFFIC, TECH_PROFILES } from './profiles.ts';

const DAY = 86_400_000;
const K_NOISE = 31;

/**
 * Traffic of the simulated fleet per cell and slot: connected devices × the class's message
 * rate × its activity at the site's local hour × a little noise, rounded stochastically so that
 * every figure is a whole number of messages and bytes. Deterministic for seed and slot.
 */
export class TrafficModel {
  private readonly msgRate = new Float64Array(CLASS_COUNT);
  private readonly bytesIn = new Float64Array(CELLS_PER_SITE);
  private readonly bytesOut = new Float64Array(CELLS_PER_SITE);
  private readonly factor: Float64Array;

  constructor(
    private readonly seed: number,
    private readonly siteCount: number,
    private readonly localTime: LocalTime,
  ) {
    this.factor = new Float64Array(siteCount * CLASS_COUNT);
    DEVICE_CLASSES.forEach((cls, c) => {
      const p = CLASS_PROFILES[cls];
      this.msgRate[c] = p.msgPerSec;
      TECHNOLOGIES.forEach((tech, t) => {
        this.bytesIn[t * CLASS_COUNT + c] = p.bytesInPerMsg * TECH_PROFILES[tech].bytesFactor;
        this.bytesOut[t * CLASS_COUNT + c] = p.bytesOutPerMsg * TECH_PROFILES[tech].bytesFactor;
      });
    });
  }

  /** Activity of each (site, class) during the slot starting at t, noise included. */
  private computeFactors(t: number, slotNo: number): void {
    for (let s = 0; s < this.siteCount; s++) {
      const local = t + this.localTime.offset(s, t);
      const hour = (((local % DAY) + DAY) % DAY) / 3_600_000;
      const h0 = Math.floor(hour);
      const frac = hour - h0;
      // 1970-01-01 was a Thursday: day 0 → 4.
      const weekday = (Math.floor(local / DAY) + 4) % 7;
      const weekend = weekday === 0 || weekday === 6;
      const noise = 0.9 + 0.2 * unit(this.seed, K_NOISE, s, slotNo);
      for (let c = 0; c < CLASS_COUNT; c++) {
        const p = CLASS_PROFILES[DEVICE_CLASSES[c]!];
        const d = p.diurnal;
        const level = d[h0]! + (d[(h0 + 1) % 24]! - d[h0]!) * frac;
        this.factor[s * CLASS_COUNT + c] = level * (weekend ? p.weekend : 1) * noise;
      }
    }
  }

  /**
   * Adds the traffic of slot [t, t + slotMs) for the given connected counts into `out`
   * (cells × 3: msgs, bytes in, bytes out). Only `cells` (the non-empty ones) are visited.
   */
  generate(
    t: number,
    slotMs: number,
    cells: Int32Array,
    online: Float64Array,
    degraded: Float64Array,
    out: Float64Array,
  ): void {
    const slotNo = Math.floor(t / slotMs);
    this.computeFactors(t, slotNo);
    const seconds = slotMs / 1000;
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k]!;
      const connected = online[cell]! + DEGRADED_TRAFFIC * degraded[cell]!;
      if (connected === 0) continue;
      const site = Math.floor(cell / CELLS_PER_SITE);
      const combo = cell - site * CELLS_PER_SITE;
      const cls = combo % CLASS_COUNT;
      const expected =
        connected * this.msgRate[cls]! * this.factor[site * CLASS_COUNT + cls]! * seconds;
      const h = hash32(this.seed, cell, slotNo);
      const msgs = Math.floor(expected + h / 4294967296);
      if (msgs === 0) continue;
      const jitter = 0.85 + 0.3 * ((Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0) / 4294967296);
      const i = cell * TRAFFIC_FIELDS;
      out[i]! += msgs;
      out[i + 1]! += Math.round(msgs * this.bytesIn[combo]! * jitter);
      out[i + 2]! += Math.round(msgs * this.bytesOut[combo]! * (2 - jitter));
    }
  }
}
