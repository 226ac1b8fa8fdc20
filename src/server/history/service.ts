import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Pipeline } from '../pipeline.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import { CELLS_PER_SITE, CLASS_COUNT } from '../aggregate/cells.ts';
import { DeviceRecorder } from '../devices/device-recorder.ts';
import { STATUS_NAMES } from '../simulator/status-model.ts';
import type { DeviceStore } from '../storage/device-store.ts';
import type { HistoryStore } from '../storage/store.ts';
import { Backfill } from './backfill.ts';
import type { HistoryReader } from './query.ts';
import { HistoryRecorder } from './recorder.ts';
import { Retention } from './retention.ts';
import { SeriesCatalog } from './series-catalog.ts';
import { SeriesValues } from './series-values.ts';

/** Every tier is written together, so a crash loses at most this much and leaves no tier ahead of another. */
const FLUSH_MS = 10_000;
const RETENTION_MS = 60_000;
const CHECKPOINT_EVERY = 5; // retention runs

/** History: records what the pipeline produces, back-fills, prunes, and answers reads. */
export class HistoryService {
  readonly catalog: SeriesCatalog;
  readonly recorder: HistoryRecorder;
  readonly backfill: Backfill;
  readonly devices: DeviceRecorder;
  private readonly flushListeners: ((ms: number) => void)[] = [];
  private readonly values: SeriesValues;
  private readonly retention: Retention;
  private ticksSinceFlush = 0;
  private lastTickAt = -Infinity;
  private waiting: (() => void)[] = [];
  private retentionTimer: TimerHandle | null = null;
  private retentionRuns = 0;
  private running = false;

  constructor(
    private readonly config: Config,
    scopes: ScopeIndex,
    private readonly store: HistoryStore,
    private readonly deviceStore: DeviceStore,
    private readonly pipeline: Pipeline,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.catalog = new SeriesCatalog(scopes, store);
    this.values = new SeriesValues(this.catalog);
    const stored = store.coverage(0, Number.MAX_SAFE_INTEGER).at(-1);
    this.recorder = new HistoryRecorder(
      this.catalog,
      store,
      logger,
      stored ? stored.to * 1000 : 0,
      () => clock.now() - config.history.retain.siteMinMs,
    );
    this.retention = new Retention(store, this.catalog, config.history);
    this.devices = new DeviceRecorder(deviceStore, scopes);
    pipeline.onDeviceStatus(this.devices.listenTo(() => pipeline.simulator));
    // The back-fill's replay knows when statuses the live fleet started with began.
    this.devices.onPast = (d, t, to) => pipeline.simulator?.notePast(d, t, to);
    this.backfill = new Backfill(
      config,
      scopes,
      store,
      this.recorder,
      this.values,
      logger,
      this.devices,
    );
    pipeline.onSecond((second, traffic, counts) =>
      this.recorder.recordSecond(second, this.values.compute(traffic, counts)),
    );
    // A report spread over its seconds sends most of its pieces here, at once, with its cell:
    // the cell's series are worked out once (the catalog does not change while the server runs).
    const seriesOfCell = new Map<number, readonly number[]>();
    pipeline.onLateSpan((cell, span) => {
      let series = seriesOfCell.get(cell);
      if (!series) {
        const site = Math.floor(cell / CELLS_PER_SITE);
        const combo = cell % CELLS_PER_SITE;
        series = this.catalog.seriesOfCell(
          site,
          Math.floor(combo / CLASS_COUNT),
          combo % CLASS_COUNT,
        );
        seriesOfCell.set(cell, series);
      }
      this.recorder.recordLateSpan(series, span);
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const prune = () => {
      this.retention.run(this.clock.now());
      this.pruneTransitions();
      if (++this.retentionRuns % CHECKPOINT_EVERY === 0) this.store.checkpoint();
      this.retentionTimer = this.clock.setTimeout(prune, RETENTION_MS);
    };
    this.retentionTimer = this.clock.setTimeout(prune, RETENTION_MS);
    // After the server is listening: the replay's set-up takes a few hundred milliseconds.
    setImmediate(() => {
      if (!this.running) return;
      this.dateLiveStatuses();
      void this.backfill.start(this.pipeline.liveStart);
    });
  }

  /**
   * The simulator starts knowing each device's status, not since when. The registry knows when
   * the last logged change happened (before a restart); the back-fill tells of the changes it
   * replays. Both go to the simulator, which keeps the latest that matches.
   */
  private dateLiveStatuses(): void {
    const sim = this.pipeline.simulator;
    if (!sim) return;
    const began = performance.now();
    let dated = 0;
    for (const row of this.deviceStore.statusesOf('simulator')) {
      const d = sim.deviceOf(row.id);
      if (d === null) continue;
      sim.notePast(d, row.since, STATUS_NAMES.indexOf(row.status));
      dated++;
    }
    this.logger.info(
      { devices: dated, ms: Math.round(performance.now() - began) },
      'status start times read from the device registry',
    );
  }

  /**
   * Writing blocks the event loop for a moment, so it happens right after a tick has gone
   * out, leaving the whole interval before the next one.
   */
  private afterTick(): void {
    this.lastTickAt = performance.now();
    const waiting = this.waiting.splice(0);
    if (waiting.length) setImmediate(() => waiting.forEach((resolve) => resolve()));
    if (!this.running) return;
    this.ticksSinceFlush += this.config.tickMs;
    if (this.ticksSinceFlush >= FLUSH_MS) {
      this.ticksSinceFlush = 0;
      setImmediate(() => this.flushNow());
    }
  }

  /** Called after each write of the live path's history with its duration in ms. */
  onFlush(listener: (ms: number) => void): void {
    this.flushListeners.push(listener);
  }

  private flushNow(): void {
    try {
      const began = performance.now();
      this.recorder.flush();
      this.devices.flush();
      const ms = performance.now() - began;
      for (const l of this.flushListeners) l(ms);
    } catch {
      // logged by the recorder; the next flush tries again
    }
  }

  /** Resolves just after the next live tick (at once when no ticks are flowing). */
  private quietMoment(): Promise<void> {
    if (performance.now() - this.lastTickAt > 2 * this.config.tickMs + 500)
      return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      setTimeout(resolve, this.config.tickMs + 100).unref();
    });
  }

  /** Stops background work and writes what is pending. */
  stop(): void {
    this.running = false;
    if (this.retentionTimer) this.clock.clearTimeout(this.retentionTimer);
    this.backfill.stop();
    this.recorder.flush();
    this.devices.flush();
  }

  /** Transitions are kept as long as hourly history. */
  private pruneTransitions(): void {
    const keep = this.config.history.retain.hourMs;
    if (keep > 0) this.deviceStore.pruneTransitions(this.clock.now() - keep, 5000);
  }

  /** Runs retention now (tests and soak drive it on the injected clock). */
  prune(): number {
    this.pruneTransitions();
    return this.retention.run(this.clock.now(), Infinity);
  }

  reader(): HistoryReader {
    return {
      catalog: this.catalog,
      store: this.store,
      retain: this.config.history.retain,
      mergePending: (tier, local, fromS, toS, stepS, r) =>
        this.recorder.mergePending(tier, local, fromS, toS, stepS, r),
      now: () => this.clock.now(),
    };
  }

  status() {
    return {
      backfill: this.backfill.status,
      storeBytes: this.store.sizeBytes(),
      rowsWritten: this.recorder.rowsWritten,
      transitionsWritten: this.devices.transitionsWritten,
      lastFlushMs: Math.round(this.recorder.lastFlushMs * 10) / 10,
    };
  }
}
