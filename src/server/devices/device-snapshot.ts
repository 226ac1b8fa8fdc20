import type { DeviceSort } from '../../protocol/devices.ts';

/** Where a snapshot row came from: the simulator's fleet or a real source's device table. */
export const FROM_SIMULATOR = 0;
export const FROM_INGEST = 1;

/** Sort rank of each status code (0 absent, 1 online, 2 degraded, 3 offline): the worst first. */
const STATUS_RANK = [3, 2, 1, 0];

/**
 * One row as a source hands it over. Numbers only: a snapshot of a million devices is a few
 * typed arrays, and ids are made only for the rows of a page (or when sorting or searching by id).
 */
export interface SnapshotRow {
  from: number;
  /** Device index in the simulator's fleet, or slot in ingest's device table. */
  index: number;
  /** The simulator's generation of the slot (its id), 0 for ingest. */
  generation: number;
  /** Site index in the scope tree. */
  site: number;
  tech: number;
  cls: number;
  /** 1 online, 2 degraded, 3 offline. */
  status: number;
  /** Epoch ms, NaN when not known. */
  since: number;
  lastSeen: number;
  /** Bytes/s in + out, NaN when not known. */
  rate: number;
}

/** The fleet as it was at one moment, filtered and sorted, for paging through. */
export interface DeviceSnapshot {
  readonly at: number;
  readonly size: number;
  readonly sort: DeviceSort;
  readonly order: 'asc' | 'desc';
  /** Row numbers in display order. */
  readonly rows: Int32Array;
  readonly from: Uint8Array;
  readonly index: Int32Array;
  readonly generation: Uint16Array;
  readonly site: Int32Array;
  readonly tech: Uint8Array;
  readonly cls: Uint8Array;
  readonly status: Uint8Array;
  readonly since: Float64Array;
  readonly lastSeen: Float64Array;
  readonly rate: Float32Array;
}

/** Collects rows, then sorts them once into a snapshot. */
export class SnapshotBuilder {
  private n = 0;
  private cap: number;
  private from: Uint8Array;
  private index: Int32Array;
  private generation: Uint16Array;
  private site: Int32Array;
  private tech: Uint8Array;
  private cls: Uint8Array;
  private status: Uint8Array;
  private since: Float64Array;
  private lastSeen: Float64Array;
  private rate: Float32Array;

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.from = new Uint8Array(this.cap);
    this.index = new Int32Array(this.cap);
    this.generation = new Uint16Array(this.cap);
    this.site = new Int32Array(this.cap);
    this.tech = new Uint8Array(this.cap);
    this.cls = new Uint8Array(this.cap);
    this.status = new Uint8Array(this.cap);
    this.since = new Float64Array(this.cap);
    this.lastSeen = new Float64Array(this.cap);
    this.rate = new Float32Array(this.cap);
  }

  get size(): number {
    return this.n;
  }

  add(r: SnapshotRow): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.from[i] = r.from;
    this.index[i] = r.index;
    this.generation[i] = r.generation;
    this.site[i] = r.site;
    this.tech[i] = r.tech;
    this.cls[i] = r.cls;
    this.status[i] = r.status;
    this.since[i] = r.since;
    this.lastSeen[i] = r.lastSeen;
    this.rate[i] = r.rate;
  }

  /**
   * Sorts the rows. Ties fall to the device's place in its source, so the order is total and
   * the same on every page. `idOf` is called only when sorting by id.
   */
  build(
    at: number,
    sort: DeviceSort,
    order: 'asc' | 'desc',
    idOf: (cols: Pick<DeviceSnapshot, 'from' | 'index' | 'generation'>, row: number) => string,
    siteName: (site: number) => string,
  ): DeviceSnapshot {
    const n = this.n;
    const cut = <T extends { slice(a: number, b: number): T }>(a: T) => a.slice(0, n);
    const s = {
      from: cut(this.from),
      index: cut(this.index),
      generation: cut(this.generation),
      site: cut(this.site),
      tech: cut(this.tech),
      cls: cut(this.cls),
      status: cut(this.status),
      since: cut(this.since),
      lastSeen: cut(this.lastSeen),
      rate: cut(this.rate),
    };
    const sign = order === 'asc' ? 1 : -1;
    const rows = Array.from({ length: n }, (_, i) => i);
    // Rows were added in source order, so the row number breaks ties the same way every time.
    if (sort === 'id') {
      const ids = rows.map((i) => idOf(s, i));
      rows.sort((a, b) => (ids[a]! < ids[b]! ? -sign : ids[a]! > ids[b]! ? sign : a - b));
    } else {
      const key = sortKeys(s, n, sort, at, siteName);
      for (let i = 0; i < n; i++) {
        const k = key[i]!;
        // Unknown rates sort last in either order; every other key flips with the order.
        key[i] = sort === 'rate' && k === Infinity ? k : k * sign;
      }
      rows.sort((a, b) => key[a]! - key[b]! || a - b);
    }
    const sorted = Int32Array.from(rows);
    return { at, size: n, sort, order, rows: sorted, ...s };
  }

  private grow(): void {
    this.cap *= 2;
    const widen = <T extends { length: number; set(a: T): void }>(a: T, make: (n: number) => T) => {
      const b = make(this.cap);
      b.set(a);
      return b;
    };
    this.from = widen(this.from, (k) => new Uint8Array(k));
    this.index = widen(this.index, (k) => new Int32Array(k));
    this.generation = widen(this.generation, (k) => new Uint16Array(k));
    this.site = widen(this.site, (k) => new Int32Array(k));
    this.tech = widen(this.tech, (k) => new Uint8Array(k));
    this.cls = widen(this.cls, (k) => new Uint8Array(k));
    this.status = widen(this.status, (k) => new Uint8Array(k));
    this.since = widen(this.since, (k) => new Float64Array(k));
    this.lastSeen = widen(this.lastSeen, (k) => new Float64Array(k));
    this.rate = widen(this.rate, (k) => new Float32Array(k));
  }
}

/**
 * One number per row whose ascending order is the column's ascending order. An unknown time
 * began before the server was watching, so it counts as the earliest; an unknown rate is +∞.
 */
function sortKeys(
  s: Pick<DeviceSnapshot, 'site' | 'tech' | 'cls' | 'status' | 'since' | 'lastSeen' | 'rate'>,
  n: number,
  sort: Exclude<DeviceSort, 'id'>,
  at: number,
  siteName: (site: number) => string,
): Float64Array {
  const key = new Float64Array(n);
  const time = (v: number) => (Number.isNaN(v) ? -Infinity : v);
  switch (sort) {
    case 'site': {
      const rank = new Map<number, number>();
      for (let i = 0; i < n; i++) rank.set(s.site[i]!, 0);
      [...rank.keys()]
        .map((site) => ({ site, name: siteName(site) }))
        .sort((a, b) => a.name.localeCompare(b.name))
        .forEach((x, r) => rank.set(x.site, r));
      for (let i = 0; i < n; i++) key[i] = rank.get(s.site[i]!)!;
      break;
    }
    case 'tech':
      key.set(s.tech.subarray(0, n));
      break;
    case 'class':
      key.set(s.cls.subarray(0, n));
      break;
    case 'status':
      // Worst first, and within a status the longest in it first: rank, then the start time
      // as ms before `at` (exact: both fit well inside a double's integers).
      for (let i = 0; i < n; i++) {
        const since = s.since[i]!;
        const age = Number.isNaN(since) ? SPAN : Math.min(SPAN - 1, Math.max(0, at - since));
        key[i] = STATUS_RANK[s.status[i]!]! * 2 * SPAN + (SPAN - age);
      }
      break;
    case 'since':
      for (let i = 0; i < n; i++) key[i] = time(s.since[i]!);
      break;
    case 'lastSeen':
      for (let i = 0; i < n; i++) key[i] = time(s.lastSeen[i]!);
      break;
    case 'rate':
      for (let i = 0; i < n; i++) {
        const r = s.rate[i]!;
        key[i] = Number.isNaN(r) ? Infinity : r;
      }
      break;
  }
  return key;
}

/** Longer than any status has lasted (about 300 years of ms), for the status key. */
const SPAN = 1e13;
