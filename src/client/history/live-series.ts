import type { HistoryResponse } from '../../protocol/api.ts';
import type { TickPayload, ViewFilter } from '../../protocol/live.ts';
import type { LiveSnapshot } from '../live/connection.ts';
import type { HistoryRange } from './api.ts';
import {
  appendTick,
  bucketOf,
  emptySeries,
  mergeHistory,
  seedFromHistory,
  type Series,
} from './series.ts';

/** The part of LiveConnection this store needs (so tests can pass a fake). */
export interface TickSource {
  subscribe(listener: () => void): () => void;
  getSnapshot(): Pick<LiveSnapshot, 'state' | 'tick'> & Partial<Pick<LiveSnapshot, 'recent'>>;
}

export interface LiveSeriesOptions {
  source: TickSource;
  scope: string;
  windowMs: number;
  /** Reads a stretch of history; null when history does not keep this view (a filter). */
  fetchGap: ((range: HistoryRange) => Promise<HistoryResponse>) | null;
  /** The view's filter as ticks carry it (null: none); ticks of another filter are ignored. */
  filter?: ViewFilter | null;
  /**
   * Seed from the history the subscription's ack carries (LiveSnapshot.recent), in the same
   * update as the view's first tick. Only for a series that would read exactly that stretch
   * (RECENT_HISTORY); others read their own.
   */
  seedFromAck?: boolean;
  /** Step to use when history cannot be read at all (live-only). */
  fallbackStepMs: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const MAX_PENDING = 600;
// With the back-off capped at 8 s, about two minutes: a restarted server back-fills its
// downtime within seconds. A server that says it is back-filling is read for as long as it does.
const FILL_RETRIES = 16;

/**
 * One scope's chart series, outside React: seeded once from history, extended by each tick,
 * and back-filled from history after a reconnect or a `seq` jump. Components read it with
 * useSyncExternalStore; it changes once per tick at most.
 */
export class LiveSeriesStore {
  private series: Series | null = null;
  private pending: TickPayload[] = [];
  private lastTick: TickPayload | null = null;
  private seenTick: TickPayload | null = null;
  private disconnected = false;
  private fill: { from: number; to: number; attempt: number } | null = null;
  private fillTimer: unknown = undefined;
  private fetching = false;
  private stopped = false;
  /** Started without history (it could not be read): history replaces it when it comes. */
  private liveOnly = false;
  private unsubscribe: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: LiveSeriesOptions) {}

  start(): void {
    this.unsubscribe = this.options.source.subscribe(this.onSource);
    this.onSource();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.fillTimer !== undefined)
      (this.options.clearTimer ?? clearTimeout)(this.fillTimer as never);
    this.listeners.clear();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): Series | null => this.series;

  /**
   * History arrived: it becomes the series, and the ticks that came meanwhile extend it. A
   * live-only series is replaced: the server's history holds every tick it showed, and more.
   */
  seed(res: HistoryResponse, tickMs: number): void {
    if ((this.series && !this.liveOnly) || this.stopped) return;
    this.liveOnly = false;
    this.series = seedFromHistory(res, this.options.windowMs, tickMs);
    this.drainPending();
    // A server that has just started may still be back-filling its history: read holes again,
    // and while it says so, buckets it has only partly written too.
    this.refill(tickMs, this.backfilling());
  }

  /** Reads again from the oldest bucket that is empty (or, `partial`, not whole) to now. */
  private refill(tickMs: number, partial: boolean): void {
    const series = this.series;
    const last = series?.points.at(-1);
    if (!series || !last) return;
    const whole = partial ? series.stepMs / tickMs - 0.5 : 0.5;
    // The newest bucket is still filling from ticks; it is not a hole.
    const hole = series.points.find((p) => p.t < last.t && p.weight < whole);
    if (hole) this.requestFill(hole.t, last.t, series.stepMs);
  }

  /** The server says it is still writing its past (TickPayload.backfill). */
  private backfilling(): boolean {
    return this.options.source.getSnapshot().tick?.backfill !== undefined;
  }

  /** History could not be read: the chart starts with live ticks only. */
  seedEmpty(): void {
    if (this.series || this.stopped) return;
    this.liveOnly = true;
    this.series = emptySeries(this.options.fallbackStepMs, this.options.windowMs);
    this.drainPending();
  }

  private drainPending(): void {
    const pending = this.pending;
    this.pending = [];
    for (const tick of pending) this.applyTick(tick, false);
    this.emit();
  }

  private readonly onSource = (): void => {
    const snap = this.options.source.getSnapshot();
    if (snap.state !== 'live') this.disconnected = true;
    const tick = snap.tick;
    if (!tick || tick === this.seenTick || tick.scope !== this.options.scope) return;
    if (filterKey(tick.filter) !== filterKey(this.options.filter ?? null)) return;
    this.seenTick = tick;
    const recent = this.options.seedFromAck ? snap.recent : null;
    if (recent && recent.scope === this.options.scope && (!this.series || this.liveOnly)) {
      // Before the tick itself, which then extends it as any tick does.
      this.seed(recent, tick.tickMs);
    }
    if (!this.series) {
      if (this.pending.length >= MAX_PENDING) this.pending.shift();
      this.pending.push(tick);
      return;
    }
    this.applyTick(tick, true);
  };

  private applyTick(tick: TickPayload, notify: boolean): void {
    const series = this.series;
    if (!series) return;
    const last = this.lastTick;
    if (last && tick.seq <= last.seq) return;
    if (last && (tick.seq > last.seq + 1 || this.disconnected)) {
      // Ticks were missed (a restart, a dropped link): read that stretch from history.
      this.requestFill(last.ts - last.tickMs, tick.ts - tick.tickMs, series.stepMs);
    }
    if (snapLive(this.options.source)) this.disconnected = false;
    this.lastTick = tick;
    this.series = appendTick(series, tick);
    // The server has begun to back-fill (a restart): read its holes for as long as it runs.
    if (last && last.backfill === undefined && tick.backfill !== undefined)
      this.refill(tick.tickMs, true);
    if (notify) this.emit();
  }

  /** Reads history for the buckets holding [from, to] (period starts) and merges it. */
  private requestFill(from: number, to: number, stepMs: number): void {
    if (!this.options.fetchGap) return; // nothing to fill from: the gap stays empty
    const start = Math.max(bucketOf(from, stepMs), bucketOf(to, stepMs) - this.options.windowMs);
    const end = bucketOf(to, stepMs) + stepMs;
    // Widen a fill that is still pending rather than run two.
    this.fill = this.fill
      ? {
          from: Math.min(this.fill.from, start),
          to: Math.max(this.fill.to, end),
          attempt: 0,
        }
      : { from: start, to: end, attempt: 0 };
    if (!this.fetching) this.schedule(0);
  }

  /** One fill loop at a time: a pending retry is replaced, never doubled. */
  private schedule(ms: number): void {
    if (this.fillTimer !== undefined)
      (this.options.clearTimer ?? clearTimeout)(this.fillTimer as never);
    const set = this.options.setTimer ?? setTimeout;
    this.fillTimer = set(() => void this.runFill(), ms);
  }

  private async runFill(): Promise<void> {
    this.fillTimer = undefined;
    const fill = this.fill;
    const series = this.series;
    if (!fill || !series || this.stopped) return;
    this.fetching = true;
    const stepMs = series.stepMs;
    let complete = false;
    try {
      const res = await this.options.fetchGap!({
        scope: this.options.scope,
        from: fill.from,
        to: fill.to,
        maxPoints: Math.min(10_000, Math.ceil((fill.to - fill.from) / stepMs)),
      });
      if (this.stopped || !this.series) return;
      const tickMs = this.lastTick?.tickMs ?? 1000;
      this.series = mergeHistory(this.series, res, tickMs);
      this.emit();
      // The server may still be back-filling its own downtime: look again until every bucket
      // before the current one holds a whole step's worth of ticks.
      const current = this.series.points.at(-1)?.t ?? fill.to;
      const whole = stepMs / tickMs - 0.5;
      complete = this.series.points.every(
        (p) => p.t < fill.from || p.t >= current || p.weight >= whole,
      );
    } catch {
      // Not reachable yet (it may be restarting): try again below.
    } finally {
      this.fetching = false;
    }
    if (this.stopped) return;
    // While the server is back-filling, its holes will fill: keep reading (every 8 s at most).
    if (complete || (fill.attempt >= FILL_RETRIES && !this.backfilling())) {
      if (this.fill === fill) this.fill = null;
      else if (this.fill) this.schedule(0);
      return;
    }
    if (this.fill === fill) fill.attempt = Math.min(fill.attempt + 1, FILL_RETRIES);
    this.schedule(Math.min(8000, 500 * 2 ** fill.attempt));
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function snapLive(source: TickSource): boolean {
  return source.getSnapshot().state === 'live';
}

function filterKey(f: ViewFilter | null): string {
  return f ? `${f.tech?.join(',') ?? ''}|${f.class?.join(',') ?? ''}` : '';
}
