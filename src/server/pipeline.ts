import type { Logger } from 'pino';
import { Aggregator, type AggregatorListener, type LateSpan } from './aggregate/aggregator.ts';
import { CELLS_PER_SITE, type CellCounts } from './aggregate/cells.ts';
import type { Clock } from './core/clock.ts';
import type { Config } from './core/config.ts';
import { Ticker } from './live/ticker.ts';
import type { ScopeIndex } from './sites/scope-index.ts';
import { Simulator, type StatusChangeListener } from './simulator/simulator.ts';

export interface TickListener {
  (tickEnd: number, traffic: Float64Array, counts: CellCounts): void;
}

export interface TickStats {
  seq: number;
  ts: number;
  durationMs: number;
}

/**
 * ingest → aggregate: the simulator (and later real sources) feed the aggregator, a ticker
 * closes its slots on the clock, and closed ticks go to the listeners (live views, history).
 */
export class Pipeline {
  readonly aggregator: Aggregator;
  readonly simulator: Simulator | null;
  private readonly ticker: Ticker;
  private readonly tickListeners: TickListener[] = [];
  private readonly secondListeners: NonNullable<AggregatorListener['onSecond']>[] = [];
  private readonly lateListeners: ((cell: number, span: LateSpan) => void)[] = [];
  private readonly statusListeners: StatusChangeListener[] = [];
  private readonly tickDoneListeners: ((stats: TickStats) => void)[] = [];
  lastTick: TickStats | null = null;
  /** The first second the live path produces; history before it is back-fill's. */
  readonly liveStart: number;
  private readonly firstTickEnd: number;
  private primed = false;

  constructor(
    private readonly config: Config,
    scopes: ScopeIndex,
    clock: Clock,
    private readonly logger: Logger,
  ) {
    const tickMs = config.tickMs;
    // Start one tick in the past so that the first tick exists as soon as we are built.
    const aligned = Math.floor(clock.now() / tickMs) * tickMs;
    const start = aligned - tickMs;
    this.aggregator = new Aggregator(
      {
        cells: scopes.siteCount * CELLS_PER_SITE,
        tickMs,
        graceMs: config.tickGraceMs,
        start,
        latenessMs: config.history.latenessMs,
      },
      {
        onTick: (end, traffic, counts) => this.emitTick(end, traffic, counts),
        onSecond: (second, traffic, counts) => {
          for (const l of this.secondListeners) l(second, traffic, counts);
        },
        onLateSpan: (cell, span) => {
          for (const l of this.lateListeners) l(cell, span);
        },
      },
    );
    const slotMs = this.aggregator.slotMs;
    this.simulator = config.simulator.enabled
      ? new Simulator({
          ...config.simulator,
          scopes,
          slotMs,
          sink: this.aggregator,
          onStatusChange: (d, t, from, to, initial) => {
            for (const l of this.statusListeners) l(d, t, from, to, initial);
          },
        })
      : null;
    this.liveStart = start;
    this.firstTickEnd = aligned;
    this.ticker = new Ticker(
      clock,
      slotMs,
      config.tickGraceMs,
      (end) => this.step(end),
      (end) => this.jump(end),
      aligned,
    );
  }

  get simulated(): boolean {
    return this.simulator !== null;
  }

  onTick(listener: TickListener): void {
    this.tickListeners.push(listener);
  }

  onSecond(listener: NonNullable<AggregatorListener['onSecond']>): void {
    this.secondListeners.push(listener);
  }

  /** Traffic for seconds already closed, a report's pieces at once (see LateSpan's reuse rule). */
  onLateSpan(listener: (cell: number, span: LateSpan) => void): void {
    this.lateListeners.push(listener);
  }

  /** The last closed tick, for answering subscribers at once. */
  latest(): { ts: number; traffic: Float64Array; counts: CellCounts } | null {
    const ts = this.aggregator.lastTickTs;
    return ts
      ? { ts, traffic: this.aggregator.lastTickTraffic, counts: this.aggregator.counts }
      : null;
  }

  /**
   * Produces the first tick (the period just before construction) once listeners are
   * attached, so that it reaches history as well as the first subscribers.
   */
  prime(): void {
    if (this.primed) return;
    this.primed = true;
    if (this.simulator) {
      const began = performance.now();
      this.simulator.start(this.liveStart);
      this.logger.info(
        {
          devices: this.simulator.size,
          weight: this.simulator.weight,
          ms: Math.round(performance.now() - began),
        },
        'simulator started',
      );
    }
    this.advance(this.firstTickEnd);
  }

  /** Device status changes of the live simulator (registrations included, see Simulator). */
  onDeviceStatus(listener: StatusChangeListener): void {
    this.statusListeners.push(listener);
  }

  start(): void {
    this.prime();
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }

  private advance(slotEnd: number): void {
    this.simulator?.advanceTo(slotEnd);
    this.aggregator.closeThrough(slotEnd);
  }

  private step(slotEnd: number): void {
    const began = performance.now();
    this.advance(slotEnd);
    if (this.lastTick?.ts === slotEnd) {
      this.lastTick.durationMs = performance.now() - began;
      for (const l of this.tickDoneListeners) l(this.lastTick);
    }
  }

  /** Called after each live tick with its figures, the whole step's duration included. */
  onTickDone(listener: (stats: TickStats) => void): void {
    this.tickDoneListeners.push(listener);
  }

  private jump(slotEnd: number): void {
    this.logger.warn(
      { to: new Date(slotEnd).toISOString() },
      'clock jumped ahead: resuming without replay',
    );
    this.aggregator.resetTo(slotEnd);
    this.simulator?.restart(slotEnd);
  }

  private emitTick(tickEnd: number, traffic: Float64Array, counts: CellCounts): void {
    const began = performance.now();
    for (const l of this.tickListeners) l(tickEnd, traffic, counts);
    this.lastTick = {
      seq: Math.floor(tickEnd / this.config.tickMs),
      ts: tickEnd,
      durationMs: performance.now() - began,
    };
  }
}
