/** Length of one bucket of a device's recent traffic. */
export const RECENT_STEP_MS = 300_000;
/** Buckets kept per device: the last hour. */
export const RECENT_BUCKETS = 12;

/** A device's data flow over the last hour, as GET /api/v1/devices/{id} returns it. */
export interface RecentTrafficSeries {
  stepMs: number;
  /** Start of each bucket (epoch ms), oldest first; the last one holds `now`. */
  t: number[];
  /**
   * Bytes/s in + out, averaged over the part of the bucket its reports cover; null before the
   * first report the server counted and after the latest one.
   */
  rate: (number | null)[];
}

/**
 * The last hour of each real device's traffic in 5-minute buckets, kept in memory beside the
 * device table (48 bytes a device). History keeps traffic per cell, not per device, so this is
 * what the device panel can show of one device; it starts empty after a restart.
 * A report's bytes are spread over the seconds since the previous one, as the aggregator does.
 */
export class RecentTraffic {
  private bytes = new Float32Array(0);
  /** Bucket number (t / step) of each slot's newest bucket; 0 = nothing counted yet. */
  private newest = new Int32Array(0);
  /** Start of the first span counted for each slot (epoch ms). */
  private coveredFrom = new Float64Array(0);
  /** End of the latest span counted: what came after is not known until the next report. */
  private coveredTo = new Float64Array(0);

  /** Makes room for `slots` devices. */
  resize(slots: number): void {
    if (slots <= this.newest.length) return;
    const bytes = new Float32Array(slots * RECENT_BUCKETS);
    bytes.set(this.bytes);
    this.bytes = bytes;
    const newest = new Int32Array(slots);
    newest.set(this.newest);
    this.newest = newest;
    const covered = new Float64Array(slots);
    covered.set(this.coveredFrom);
    this.coveredFrom = covered;
    const coveredTo = new Float64Array(slots);
    coveredTo.set(this.coveredTo);
    this.coveredTo = coveredTo;
  }

  /** Counts `amount` bytes spread evenly over [from, to). */
  add(slot: number, from: number, to: number, amount: number): void {
    if (!(to > from) || !(amount >= 0)) return;
    const last = Math.floor((to - 1) / RECENT_STEP_MS);
    this.advance(slot, last);
    const base = slot * RECENT_BUCKETS;
    // A late report may end before the newest bucket: only the ring's hour is kept.
    const oldest = this.newest[slot]! - RECENT_BUCKETS + 1;
    if (last < oldest) return;
    const start = Math.max(from, oldest * RECENT_STEP_MS);
    if (this.coveredFrom[slot] === 0 || from < this.coveredFrom[slot]!) {
      this.coveredFrom[slot] = start;
    }
    if (to > this.coveredTo[slot]!) this.coveredTo[slot] = to;
    const perMs = amount / (to - from);
    for (let b = Math.floor(start / RECENT_STEP_MS); b <= last; b++) {
      const lo = Math.max(start, b * RECENT_STEP_MS);
      const hi = Math.min(to, (b + 1) * RECENT_STEP_MS);
      if (hi > lo) this.bytes[base + (b % RECENT_BUCKETS)]! += perMs * (hi - lo);
    }
  }

  /** The hour up to `now`, or null for a device with no counted traffic yet. */
  read(slot: number, now: number): RecentTrafficSeries | null {
    if (slot >= this.newest.length || this.newest[slot] === 0) return null;
    const current = Math.floor(now / RECENT_STEP_MS);
    this.advance(slot, current);
    const base = slot * RECENT_BUCKETS;
    const covered = this.coveredFrom[slot]!;
    const until = Math.min(now, this.coveredTo[slot]!);
    const t: number[] = [];
    const rate: (number | null)[] = [];
    for (let b = current - RECENT_BUCKETS + 1; b <= current; b++) {
      const start = b * RECENT_STEP_MS;
      const lo = Math.max(start, covered);
      const hi = Math.min(start + RECENT_STEP_MS, until);
      t.push(start);
      rate.push(hi > lo ? this.bytes[base + (b % RECENT_BUCKETS)]! / ((hi - lo) / 1000) : null);
    }
    return { stepMs: RECENT_STEP_MS, t, rate };
  }

  /** Moves a slot's ring forward to bucket `to`, clearing the buckets it passes. */
  private advance(slot: number, to: number): void {
    const from = this.newest[slot]!;
    if (to <= from) return;
    const base = slot * RECENT_BUCKETS;
    const steps = from === 0 ? RECENT_BUCKETS : Math.min(RECENT_BUCKETS, to - from);
    for (let k = 0; k < steps; k++) this.bytes[base + ((to - k) % RECENT_BUCKETS)] = 0;
    this.newest[slot] = to;
  }
}
