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
 * Rows (registrations, transitions or counters) written per event-loop turn, in one transaction.
 * A save at 200,000 devices is about 100,000 counter rows, 250–460 ms in one transaction; a
 * regional outage or a provisioning burst brings tens of thousands of transitions or
 * registrations at once. A couple of thousand rows hold the loop for a few ms, short enough that
 * an MQTT broker's in-flight window never waits on us for long.
 */
export const SAVE_CHUNK_ROWS = 2000;

/** What one save writes, in this order, and how far it has got. */
interface SaveJob {
  devices: DeviceRecord[];
  changes: StatusChange[];
  slots: number[];
  /** Rows of the current stage written so far; the stages are devices, changes, slots, done. */
  stage: 0 | 1 | 2 | 3;
  next: number;
}

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
  /** A save still being written, chunk by chunk; null when none is. */
  private saving: SaveJob | null = null;
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
      this.write(this.takeJob());
    } catch (err) {
      this.o.logger.error({ err }, 'saving ingest state failed');
    }
  }

  /**
   * Writes what changed since the last save: registrations, then transitions (they refer to
   * registered devices), then the changed counters, a couple of thousand rows per event-loop
   * turn, so neither a large fleet nor a burst of status changes holds up ticks, sockets and the
   * MQTT connection. What changes meanwhile waits for the next save; a counter slot that changes
   * again is written again then (harmlessly). A save that fails keeps its rows for the next.
   */
  save(): void {
    this.lastSave = this.o.clock.now();
    if (this.saving) return;
    const job = this.takeJob();
    if (job.devices.length + job.changes.length + job.slots.length === 0) return;
    this.saving = job;
    this.writeChunk();
  }

  /** Everything changed since the last save, as a job to write, out of the pending state. */
  private takeJob(): SaveJob {
    const t = this.engine.devices;
    const job: SaveJob = {
      devices: [...this.registered.values()],
      changes: this.changes,
      slots: [...t.dirty],
      stage: 0,
      next: 0,
    };
    this.registered.clear();
    this.changes = [];
    t.dirty.clear();
    return job;
  }

  /** Writes `rows` rows of the job (all of it when Infinity) and says whether it is done. */
  private write(job: SaveJob, rows = Infinity): boolean {
    const stages: readonly (readonly unknown[])[] = [job.devices, job.changes, job.slots];
    while (job.stage < 3 && rows > 0) {
      const all = stages[job.stage]!;
      const end = Math.min(all.length, job.next + rows);
      if (end > job.next) {
        if (job.stage === 0) this.o.store.upsertDevices(job.devices.slice(job.next, end));
        else if (job.stage === 1) this.o.store.recordTransitions(job.changes.slice(job.next, end));
        else this.saveRows(job.slots.slice(job.next, end));
        rows -= end - job.next;
      }
      job.next = end;
      if (end === all.length) {
        job.stage = (job.stage + 1) as SaveJob['stage'];
        job.next = 0;
      }
    }
    return job.stage === 3;
  }

  private readonly writeChunk = (): void => {
    this.chunkTimer = null;
    const job = this.saving;
    if (!job) return;
    try {
      if (this.write(job, SAVE_CHUNK_ROWS)) this.saving = null;
      else this.chunkTimer = setImmediate(this.writeChunk);
    } catch (err) {
      // Kept in memory: what this save had not written goes back to the next one.
      this.abandonChunks();
      this.o.logger.error({ err }, 'saving ingest state failed');
    }
  };

  /** Stops a chunked save; what it had not written yet is pending again. */
  private abandonChunks(): void {
    if (this.chunkTimer) clearImmediate(this.chunkTimer);
    this.chunkTimer = null;
    const job = this.saving;
    this.saving = null;
    if (!job) return;
    const from = (stage: number) =>
      job.stage === stage ? job.next : job.stage < stage ? 0 : Infinity;
    // A device registered again since holds the newer record; keep that one.
    for (const d of job.devices.slice(from(0))) {
      if (!this.registered.has(d.id)) this.registered.set(d.id, d);
    }
    // The order of transitions does not matter: the store keeps each device's latest by time.
    this.changes = [...job.changes.slice(from(1)), ...this.changes];
    const dirty = this.engine.devices.dirty;
    for (const slot of job.slots.slice(from(2))) dirty.add(slot);
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
