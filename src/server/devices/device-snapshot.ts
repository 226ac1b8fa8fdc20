import type { DeviceSort } from '../../protocol/devices.ts';

/** Where a snapshot row came from: the simulator's fleet or a real source's device table. */
export const FROM_SIMULATOR = 0;
export const FROM_INGEST = 1;

/** Status codes as the simulator and ingest keep them. */
const ONLINE = 1;
const DEGRADED = 2;
const OFFLINE = 3;
/** Sort rank of each status code: offline first, the worst. */
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
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
    const sign = order === 'asc' ? 1 : -1;
    const tie = (a: number, b: number) => s.from[a]! - s.from[b]! || s.index[a]! - s.index[b]!;
    // An unknown time began before the server was watching: earlier than any known one. An
    // unknown rate sorts last whichever the order.
    const byNumber =
      (col: ArrayLike<number>, unknownLast: boolean) =>
      (a: number, b: number): number => {
        const x = col[a]!;
        const y = col[b]!;
        const xn = Number.isNaN(x);
        const yn = Number.isNaN(y);
        if (xn || yn) {
          if (xn === yn) return tie(a, b);
          return (xn ? 1 : -1) * (unknownLast ? 1 : -sign);
        }
        return (x - y) * sign || tie(a, b);
      };
    let compare: (a: number, b: number) => number;
    switch (sort) {
      case 'id': {
        const ids = Array.from({ length: n }, (_, i) => idOf(s, i));
        compare = (a, b) => (ids[a]! < ids[b]! ? -sign : ids[a]! > ids[b]! ? sign : 0);
        break;
      }
      case 'site': {
        const names = new Map<number, string>();
        const name = (i: number) => {
          const site = s.site[i]!;
          let v = names.get(site);
          if (v === undefined) names.set(site, (v = siteName(site)));
          return v;
        };
        compare = (a, b) => name(a).localeCompare(name(b)) * sign || tie(a, b);
        break;
      }
      case 'tech':
        compare = (a, b) => (s.tech[a]! - s.tech[b]!) * sign || tie(a, b);
        break;
      case 'class':
        compare = (a, b) => (s.cls[a]! - s.cls[b]!) * sign || tie(a, b);
        break;
      case 'status': {
        // Worst first, and within a status the longest in it first; desc reverses both.
        const since = byNumber(s.since, false);
        compare = (a, b) =>
          (STATUS_RANK[s.status[a]!]! - STATUS_RANK[s.status[b]!]!) * sign || since(a, b);
        break;
      }
      case 'since':
        compare = byNumber(s.since, false);
        break;
      case 'lastSeen':
        compare = byNumber(s.lastSeen, false);
        break;
      case 'rate':
        compare = byNumber(s.rate, true);
        break;
    }
    // A plain array sorts faster with a comparator than a typed one in V8.
    const sorted = Int32Array.from(Array.from(rows).sort(compare));
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

export const STATUS_NAMES = {
  [ONLINE]: 'online',
  [DEGRADED]: 'degraded',
  [OFFLINE]: 'offline',
} as const;
