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
/**
 * Counter rows written per event-loop turn. At 200,000 devices a save is about 100,000 rows,
 * 250–460 ms in one transaction; a few thousand rows hold the loop for ten or so.
 */
const SAVE_CHUNK_ROWS = 4000;

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
  /** A save's changed slots still being written, chunk by chunk; null when none is. */
  private saving: { slots: number[]; next: number } | null = null;
  private chunkTimer: NodeJS.Immediate | null = null;

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

  /** Stops the timers and writes everything not yet written, before the store is closed. */
  stop(): void {
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
    this.lastSave = this.o.clock.now();
    this.abandonChunks();
    try {
      this.saveLog();
      this.saveRows([...this.engine.devices.dirty]);
      this.engine.devices.dirty.clear();
    } catch (err) {
      this.o.logger.error({ err }, 'saving ingest state failed');
    }
  }

  /**
   * Writes registrations and transitions now, then the changed counters a few thousand rows per
   * event-loop turn, so a large fleet's save does not hold up ticks and sockets. A slot that
   * changes again meanwhile is written by the next save (or twice, harmlessly). While a save is
   * still writing its chunks, the next one writes only registrations and transitions.
   */
  save(): void {
    this.lastSave = this.o.clock.now();
    const t = this.engine.devices;
    try {
      this.saveLog();
    } catch (err) {
      // Kept in memory; the next save tries again.
      this.o.logger.error({ err }, 'saving ingest state failed');
      return;
    }
    if (this.saving || t.dirty.size === 0) return;
    // Registered above: every slot taken here has its device row.
    this.saving = { slots: [...t.dirty], next: 0 };
    t.dirty.clear();
    this.writeChunk();
  }

  /** Registrations first: state and transitions refer to registered devices. */
  private saveLog(): void {
    if (this.registered.size) {
      this.o.store.upsertDevices([...this.registered.values()]);
      this.registered.clear();
    }
    if (this.changes.length) {
      this.o.store.recordTransitions(this.changes);
      this.changes = [];
    }
  }

  private readonly writeChunk = (): void => {
    this.chunkTimer = null;
    const job = this.saving;
    if (!job) return;
    const end = Math.min(job.next + SAVE_CHUNK_ROWS, job.slots.length);
    try {
      this.saveRows(job.slots.slice(job.next, end));
    } catch (err) {
      // Kept in memory: the slots not written go back to the next save.
      this.abandonChunks();
      this.o.logger.error({ err }, 'saving ingest state failed');
      return;
    }
    job.next = end;
    if (end < job.slots.length) this.chunkTimer = setImmediate(this.writeChunk);
    else this.saving = null;
  };

  /** Stops a chunked save; the slots it had not written yet are marked changed again. */
  private abandonChunks(): void {
    if (this.chunkTimer) clearImmediate(this.chunkTimer);
    this.chunkTimer = null;
    const job = this.saving;
    this.saving = null;
    if (!job) return;
    const dirty = this.engine.devices.dirty;
    for (let i = job.next; i < job.slots.length; i++) dirty.add(job.slots[i]!);
  }

  /** The current state of these slots, in one transaction. */
  private saveRows(slots: readonly number[]): void {
    if (slots.length === 0) return;
    const t = this.engine.devices;
    const rows: IngestState[] = [];
    for (const slot of slots) {
      rows.push({
        device: t.ids[slot]!,
        lastHeard: t.lastHeard[slot] || null,
        counters: t.counters[slot] ?? null,
      });
    }
    this.o.store.saveIngestState(rows);
  }
}
