import type { CounterState } from './counters.ts';
import { RecentTraffic } from './recent-traffic.ts';

export type IngestSource = 'mqtt' | 'http';

/** Status codes as the aggregator counts them (see aggregate/aggregator.ts). */
export const ST_ABSENT = 0;
export const ST_ONLINE = 1;
export const ST_DEGRADED = 2;
export const ST_OFFLINE = 3;

const INITIAL = 1024;

/**
 * The live state of every device a real source described: its cell, status, when it was last
 * heard and its counters. Typed arrays indexed by slot, so the heartbeat sweep over a million
 * devices is a tight loop and nothing per device is an object but its counter state.
 */
export class DeviceTable {
  private readonly slots = new Map<string, number>();
  /** The slot slotOf found last (a guess at where the next look-up lands). */
  private lastSlot = -1;
  ids: string[] = [];
  cell = new Int32Array(INITIAL);
  status = new Uint8Array(INITIAL);
  /** Event time of the status now in force (epoch ms). */
  statusTs = new Float64Array(INITIAL);
  /** Server time the device was last heard from (epoch ms), 0 = never. */
  lastHeard = new Float64Array(INITIAL);
  source = new Uint8Array(INITIAL);
  /** Bytes/s in + out between the device's last two counted reports; NaN before that. */
  rate = new Float32Array(INITIAL);
  counters: (CounterState | null)[] = [];
  /** Each device's data flow over the last hour, for its panel. */
  readonly recent = new RecentTraffic();
  /** Slots whose counters or status changed since the last save. */
  readonly dirty = new Set<number>();

  constructor() {
    this.recent.resize(INITIAL);
  }

  get size(): number {
    return this.ids.length;
  }

  slotOf(id: string): number | undefined {
    // A gateway reports its devices in the order it described them, so they sit in consecutive
    // slots: comparing the next slot's id is cheaper than hashing the id into a large map.
    const next = this.lastSlot + 1;
    if (this.ids[next] === id) return (this.lastSlot = next);
    const slot = this.slots.get(id);
    if (slot !== undefined) this.lastSlot = slot;
    return slot;
  }

  add(id: string, cell: number, source: IngestSource): number {
    const slot = this.ids.length;
    if (slot === this.cell.length) this.grow();
    this.slots.set(id, slot);
    this.ids.push(id);
    this.counters.push(null);
    this.cell[slot] = cell;
    this.status[slot] = ST_ABSENT;
    this.statusTs[slot] = 0;
    this.lastHeard[slot] = 0;
    this.source[slot] = source === 'mqtt' ? 0 : 1;
    this.rate[slot] = Number.NaN;
    return slot;
  }

  sourceOf(slot: number): IngestSource {
    return this.source[slot] === 0 ? 'mqtt' : 'http';
  }

  private grow(): void {
    const n = this.cell.length * 2;
    const widen = <T extends Int32Array | Uint8Array | Float32Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.cell = widen(this.cell, (k) => new Int32Array(k));
    this.status = widen(this.status, (k) => new Uint8Array(k));
    this.statusTs = widen(this.statusTs, (k) => new Float64Array(k));
    this.lastHeard = widen(this.lastHeard, (k) => new Float64Array(k));
    this.source = widen(this.source, (k) => new Uint8Array(k));
    this.rate = widen(this.rate, (k) => new Float32Array(k));
    this.recent.resize(n);
  }
}
