import type { Logger } from 'pino';
import {
  allocCounts,
  applyStatusToCounts,
  CELLS_PER_SITE,
  TRAFFIC_FIELDS,
} from '../aggregate/cells.ts';
import type { Config } from '../core/config.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import { Simulator, type SimulatorSink } from '../simulator/simulator.ts';
import type { CoverageInterval, HistoryStore } from '../storage/store.ts';
import type { DeviceRecorder } from '../devices/device-recorder.ts';
import type { HistoryRecorder } from './recorder.ts';
import type { SeriesValues } from './series-values.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const EXACT_FLUSH_S = 60;

/** Counts and one slot of traffic, for replaying the simulator outside the live pipeline. */
export class ReplaySink implements SimulatorSink {
  readonly counts;
  readonly traffic: Float64Array;

  constructor(cells: number) {
    this.counts = allocCounts(cells);
    this.traffic = new Float64Array(cells * TRAFFIC_FIELDS);
  }

  applyStatus(cell: number, from: number, to: number, weight: number): void {
    applyStatusToCounts(this.counts, cell, from, to, weight);
  }

  slotBuffer(): Float64Array {
    return this.traffic;
  }
}

export interface BackfillStatus {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** Share of the planned seconds written, 0..1. */
  progress: number;
  from: number | null;
  to: number | null;
  seconds: number;
}

/** Parts of [from, to) not covered by `covered` (sorted, disjoint), in epoch ms. */
export function gapsIn(
  from: number,
  to: number,
  covered: readonly CoverageInterval[],
): CoverageInterval[] {
  const gaps: CoverageInterval[] = [];
  let at = from;
  for (const c of covered) {
    const cFrom = c.from * 1000;
    const cTo = c.to * 1000;
    if (cTo <= at) continue;
    if (cFrom >= to) break;
    if (cFrom > at) gaps.push({ from: at, to: Math.min(cFrom, to) });
    at = Math.max(at, cTo);
  }
  if (at < to) gaps.push({ from: at, to });
  return gaps;
}

/**
 * Fills the store's holes with the simulator's past, newest first so charts fill from now
 * backwards. Within the seconds tier's retention it replays second by second (exactly what
 * the live path would have written); older parts come from the aggregate model a minute at a
 * time. Runs in small steps between which the server keeps ticking and serving.
 */
export class Backfill {
  status: BackfillStatus = { state: 'idle', progress: 0, from: null, to: null, seconds: 0 };
  private stopped = false;
  private sims: Partial<Record<number, { sim: Simulator; sink: ReplaySink }>> = {};

  constructor(
    private readonly config: Config,
    private readonly scopes: ScopeIndex,
    private readonly store: HistoryStore,
    private readonly recorder: HistoryRecorder,
    private readonly values: SeriesValues,
    private readonly logger: Logger,
    private readonly devices: DeviceRecorder,
    /** Resolves at a moment when a long write does not delay a live tick. */
    private readonly quiet: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Plans the holes in [liveStart - days, liveStart) and starts filling them. */
  start(liveStart: number): Promise<void> {
    const days = this.config.history.backfillDays;
    const from = Math.floor((liveStart - days * 86_400_000) / MINUTE) * MINUTE;
    if (!this.config.simulator.enabled || days === 0 || from >= liveStart) {
      this.status = { ...this.status, state: 'done', progress: 1 };
      return Promise.resolve();
    }
    const covered = this.store.coverage(Math.floor(from / 1000), Math.ceil(liveStart / 1000));
    const gaps = gapsIn(from, liveStart, covered);
    const seconds = gaps.reduce((n, g) => n + (g.to - g.from) / 1000, 0);
    this.status = { state: 'running', progress: 0, from, to: liveStart, seconds };
    if (seconds === 0) {
      this.status.state = 'done';
      this.status.progress = 1;
      return Promise.resolve();
    }
    this.logger.info({ gaps: gaps.length, seconds }, 'back-filling history from the simulator');
    const exactFrom = Math.floor((liveStart - this.config.history.retain.secMs) / MINUTE) * MINUTE;
    return this.run(gaps.reverse(), exactFrom, seconds).catch((err: unknown) => {
      this.status.state = 'failed';
      this.logger.error({ err }, 'back-fill failed');
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(gaps: CoverageInterval[], exactFrom: number, total: number): Promise<void> {
    const began = performance.now();
    let done = 0;
    let nextLog = 0.1;
    for (const gap of gaps) {
      // Newest first: walk back an hour at a time, each hour replayed forwards.
      for (let end = gap.to; end > gap.from && !this.stopped;) {
        let start = Math.max(gap.from, end - HOUR);
        if (end > exactFrom && start < exactFrom) start = exactFrom;
        if (start >= exactFrom) await this.exact(start, end);
        else await this.coarse(start, end);
        done += (end - start) / 1000;
        end = start;
        this.status.progress = Math.min(1, done / total);
        if (this.status.progress >= nextLog) {
          this.logger.info(
            { progress: Math.round(this.status.progress * 100) },
            'back-fill progress (%)',
          );
          nextLog += 0.1;
        }
      }
    }
    if (this.stopped) return;
    this.status.state = 'done';
    this.status.progress = 1;
    this.logger.info(
      { seconds: total, ms: Math.round(performance.now() - began) },
      'back-fill done',
    );
    this.sims = {};
  }

  private async flush(): Promise<void> {
    await this.quiet();
    this.recorder.flush();
    this.devices.flush();
  }

  private replay(slotMs: number, from: number): { sim: Simulator; sink: ReplaySink } {
    let entry = this.sims[slotMs];
    if (!entry) {
      const sink = new ReplaySink(this.scopes.siteCount * CELLS_PER_SITE);
      let self: Simulator | null = null;
      const sim = new Simulator({
        ...this.config.simulator,
        scopes: this.scopes,
        slotMs,
        sink,
        onStatusChange: this.devices.listenToPast(() => self),
      });
      self = sim;
      sim.start(from);
      entry = { sim, sink };
      this.sims[slotMs] = entry;
    } else {
      entry.sim.restart(from);
    }
    entry.sink.traffic.fill(0);
    return entry;
  }

  /** Second by second, as the live path does. */
  private async exact(from: number, to: number): Promise<void> {
    const { sim, sink } = this.replay(1000, from);
    let budget = performance.now();
    for (let t = from; t < to && !this.stopped; t += 1000) {
      sim.advanceTo(t + 1000);
      this.recorder.recordSecond(t, this.values.compute(sink.traffic, sink.counts), false);
      sink.traffic.fill(0);
      // Writing merges every tier's open buckets: do it every few minutes of replay, not per step.
      if ((t / 1000) % EXACT_FLUSH_S === 0) await this.flush();
      if (performance.now() - budget > 20) {
        await yieldToEventLoop();
        budget = performance.now();
      }
    }
    await this.flush();
  }

  /** Whole minutes from the aggregate model; partial minutes at the edges second by second. */
  private async coarse(from: number, to: number): Promise<void> {
    const start = Math.ceil(from / MINUTE) * MINUTE;
    const end = Math.floor(to / MINUTE) * MINUTE;
    if (start >= end) return this.exact(from, to);
    if (end < to) await this.exact(end, to);
    const { sim, sink } = this.replay(MINUTE, start);
    let budget = performance.now();
    for (let t = start; t < end && !this.stopped; t += MINUTE) {
      sim.advanceTo(t + MINUTE);
      this.recorder.recordBlock(t, 60, this.values.compute(sink.traffic, sink.counts));
      sink.traffic.fill(0);
      // Small transactions (five minutes of rows), each right after a live tick.
      if ((t / MINUTE) % 5 === 4) await this.flush();
      if (performance.now() - budget > 20) {
        await yieldToEventLoop();
        budget = performance.now();
      }
    }
    await this.flush();
    if (from < start) await this.exact(from, start);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
