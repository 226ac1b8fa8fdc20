// Generators of bad (and good) ingest input for the fuzz suites, each tagged with what the
// server must do with it. Every draw comes from one seeded generator: a seed replays a run.
import { DEVICE_CLASSES, TECHNOLOGIES } from '../../src/protocol/dimensions.ts';
import { DROP_REASONS, type DropReason } from '../../src/protocol/ingest.ts';
import { rng } from '../../src/server/core/random.ts';

/** What the server must do with one record or payload. */
export type Outcome = DropReason | 'accepted' | 'duplicate';
export type Kind = 'meta' | 'status' | 'telemetry';

/** One record as sent (full form, with type and device) and what must become of it. */
export interface Rec {
  kind: Kind;
  device: string;
  text: string;
  outcome: Outcome;
}

/** FUZZ_SEED replays a run; otherwise each suite has a fixed seed. */
export function fuzzSeed(fallback: number): number {
  const raw = process.env.FUZZ_SEED?.trim();
  return raw ? Number(raw) >>> 0 : fallback;
}

export class Rand {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Random bytes, none of them a line feed (NDJSON lines are generated with these). */
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      const v = this.int(0, 254);
      b[i] = v === 0x0a ? 0xff : v;
    }
    return b;
  }
  /** One of the keys, each as likely as its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const keys = (Object.keys(weights) as K[]).filter((k) => weights[k] > 0);
    let roll = this.next() * keys.reduce((s, k) => s + weights[k], 0);
    return keys.find((k) => (roll -= weights[k]) < 0) ?? keys[keys.length - 1]!;
  }
  /** `quotas` as a list of that many of each name, in random order. */
  deal<K extends string>(quotas: Record<K, number>): K[] {
    const out: K[] = [];
    for (const [k, n] of Object.entries(quotas) as [K, number][])
      for (let i = 0; i < n; i++) out.push(k);
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** How many records or payloads were sent per outcome. */
export class Tally {
  readonly n = Object.fromEntries([...DROP_REASONS, 'accepted'].map((k) => [k, 0])) as Record<
    Outcome,
    number
  >;
  add(outcome: Outcome, k = 1): void {
    // Duplicates are accepted too (and counted again as duplicates).
    if (outcome === 'duplicate') this.n.accepted += k;
    this.n[outcome] += k;
  }
  get dropped(): number {
    return DROP_REASONS.reduce((s, r) => s + (r === 'duplicate' ? 0 : this.n[r]), 0);
  }
  /** What the server counts per record: accepted or dropped. */
  get handled(): number {
    return this.n.accepted + this.dropped;
  }
}

// JSON text with values JSON cannot produce from JavaScript (1e400, 01, NaN).
const RAW = '\u0000raw:';
export const raw = (text: string) => `${RAW}${text}`;
export const json = (value: unknown): string =>
  JSON.stringify(value).replace(/"\\u0000raw:([^"]*)"/g, '$1');

const SITES = ['fr-paris', 'fr-lyon', 'de-berlin', 'de-hamburg', 'es-madrid', 'it-rome'];

export interface Device {
  id: string;
  meta: { site: string; tech: string; class: string };
  boot: string | number;
  ts: number;
  statusTs: number;
  msgs: number;
  bytesIn: number;
  bytesOut: number;
  last: string | null;
}
export type Totals = { msgs: number; bytesIn: number; bytesOut: number };

/** Devices that are described, then report running counters; knows what they add up to. */
export class Fleet {
  readonly devices: Device[];
  private readonly first = new Map<string, Totals>();

  constructor(
    private readonly r: Rand,
    ids: readonly string[],
  ) {
    this.devices = ids.map((id) => ({
      id,
      meta: { site: r.pick(SITES), tech: r.pick(TECHNOLOGIES), class: r.pick(DEVICE_CLASSES) },
      boot: r.chance(0.5) ? r.int(0, 1000) : `b-${r.int(0, 1e6)}`,
      ts: 0,
      statusTs: 0,
      // Large starting counters: the increases must still come out exact.
      msgs: r.int(0, 2 ** 40),
      bytesIn: r.int(0, 2 ** 45),
      bytesOut: r.int(0, 2 ** 45),
      last: null,
    }));
  }

  any(): Device {
    return this.r.pick(this.devices);
  }

  meta(d: Device): Rec {
    return {
      kind: 'meta',
      device: d.id,
      text: json({ type: 'meta', device: d.id, ...d.meta }),
      outcome: 'accepted',
    };
  }

  /** The device's next report; its first is the baseline counting starts from. */
  report(d: Device, now: number): Rec {
    const r = this.r;
    if (d.last !== null) {
      d.msgs += r.int(0, 40);
      d.bytesIn += r.int(0, 9000);
      d.bytesOut += r.int(0, 3000);
    }
    d.ts = Math.max(now, d.ts + 1);
    if (d.last === null) {
      this.first.set(d.id, { msgs: d.msgs, bytesIn: d.bytesIn, bytesOut: d.bytesOut });
      d.statusTs = d.ts;
    }
    const ts = r.chance(0.2) ? new Date(d.ts).toISOString() : d.ts;
    const { msgs, bytesIn, bytesOut } = d;
    const body = { type: 'telemetry', device: d.id, boot: d.boot, ts, msgs, bytesIn, bytesOut };
    d.last = json(body);
    return { kind: 'telemetry', device: d.id, text: d.last, outcome: 'accepted' };
  }

  /** The last report again, as a QoS 1 redelivery or an HTTP retry would send it. */
  repeat(d: Device): Rec {
    return { kind: 'telemetry', device: d.id, text: d.last!, outcome: 'duplicate' };
  }

  status(d: Device, now: number): Rec {
    d.statusTs = Math.max(now, d.statusTs);
    const text = json({ type: 'status', device: d.id, status: 'online', ts: d.statusTs });
    return { kind: 'status', device: d.id, text, outcome: 'accepted' };
  }

  /** A good record of any kind for a device that has reported its baseline. */
  good(now: number): Rec {
    const d = this.any();
    const roll = this.r.int(0, 9);
    if (roll < 6) return this.report(d, now);
    if (roll === 6) return this.status(d, now);
    if (roll === 7) return this.meta(d);
    return this.repeat(d);
  }

  /** Traffic the reports after each baseline add up to. */
  totals(): Totals {
    const t: Totals = { msgs: 0, bytesIn: 0, bytesOut: 0 };
    for (const d of this.devices) {
      const f = this.first.get(d.id)!;
      t.msgs += d.msgs - f.msgs;
      t.bytesIn += d.bytesIn - f.bytesIn;
      t.bytesOut += d.bytesOut - f.bytesOut;
    }
    return t;
  }
}
