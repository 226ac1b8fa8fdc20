import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import type {
  DeviceRecord,
  DeviceStore,
  IngestState,
  StatusChange,
} from '../storage/device-store.ts';
import { IngestEngine, type IngestSink } from './ingest-engine.ts';
import { IngestStats } from './ingest-stats.ts';

const SWEEP_MS = 1000;
const SAVE_MS = 5000;

export interface IngestServiceOptions {
  sink: IngestSink;
  scopes: ScopeIndex;
  clock: Clock;
  logger: Logger;
  store: DeviceStore;
  heartbeatMs: number;
  latenessMs: number;
}

/**
 * Ingest for real sources: the engine, the heartbeat sweep, and the device registry,
 * transition log and counters written to the device store in batches. Counters are saved
 * every few seconds and on stop, so a restart carries on counting where it left off.
 */
export class IngestService {
  readonly engine: IngestEngine;
  readonly stats: IngestStats;
  private registered = new Map<string, DeviceRecord>();
  private changes: StatusChange[] = [];
  private timer: TimerHandle | null = null;
  private lastSave = 0;

  constructor(private readonly o: IngestServiceOptions) {
    this.stats = new IngestStats(o.logger, () => o.clock.now());
    this.engine = new IngestEngine({
      sink: o.sink,
      scopes: o.scopes,
      clock: o.clock,
      stats: this.stats,
      heartbeatMs: o.heartbeatMs,
      latenessMs: o.latenessMs,
      log: {
        register: (d) => this.registered.set(d.id, d),
        transition: (c) => this.changes.push(c),
      },
    });
  }

  /** Puts back the devices real sources described before a restart. */
  restore(): number {
    const devices = this.o.store.ingestedDevices();
    for (const d of devices) this.engine.restore(d);
    this.engine.devices.dirty.clear();
    if (devices.length) this.o.logger.info({ devices: devices.length }, 'ingest devices restored');
    return devices.length;
  }

  start(): void {
    if (this.timer) return;
    this.lastSave = this.o.clock.now();
    const loop = () => {
      this.engine.sweep();
      if (this.o.clock.now() - this.lastSave >= SAVE_MS) this.save();
      this.timer = this.o.clock.setTimeout(loop, SWEEP_MS);
    };
    this.timer = this.o.clock.setTimeout(loop, SWEEP_MS);
  }

  stop(): void {
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
    this.save();
  }

  /** Writes registrations, transitions and changed counters (registrations first). */
  save(): void {
    this.lastSave = this.o.clock.now();
    const t = this.engine.devices;
    try {
      if (this.registered.size) {
        this.o.store.upsertDevices([...this.registered.values()]);
        this.registered.clear();
      }
      if (this.changes.length) {
        this.o.store.recordTransitions(this.changes);
        this.changes = [];
      }
      if (t.dirty.size) {
        const rows: IngestState[] = [];
        for (const slot of t.dirty) {
          rows.push({
            device: t.ids[slot]!,
            lastHeard: t.lastHeard[slot] || null,
            counters: t.counters[slot] ?? null,
          });
        }
        this.o.store.saveIngestState(rows);
        t.dirty.clear();
      }
    } catch (err) {
      // Kept in memory; the next save tries again.
      this.o.logger.error({ err }, 'saving ingest state failed');
    }
  }
}
