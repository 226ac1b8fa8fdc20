import { allocCounts, applyStatusToCounts, TRAFFIC_FIELDS, type CellCounts } from './cells.ts';
import { MAX_PIECES, splitSpan } from './span.ts';

/** Status codes as the aggregator sees them (0 = not counted). */
export const STATUS_ABSENT = 0;
export const STATUS_ONLINE = 1;
export const STATUS_DEGRADED = 2;
export const STATUS_OFFLINE = 3;

export const FOLD_OK = 0;
export const FOLD_LATE = 1;
export const FOLD_FUTURE = 2;
/** Older than the lateness window: dropped and counted. */
export const FOLD_TOO_LATE = 3;
export type FoldResult =
  typeof FOLD_OK | typeof FOLD_LATE | typeof FOLD_FUTURE | typeof FOLD_TOO_LATE;

/**
 * Pieces of traffic of one cell for slots already closed, in time order: the first `count`
 * entries of each array. Reused after the listener returns.
 */
export interface LateSpan {
  count: number;
  ts: Float64Array;
  msgs: Float64Array;
  bytesIn: Float64Array;
  bytesOut: Float64Array;
}

/** Room for `capacity` late pieces. */
export function lateSpan(capacity: number): LateSpan {
  return {
    count: 0,
    ts: new Float64Array(capacity),
    msgs: new Float64Array(capacity),
    bytesIn: new Float64Array(capacity),
    bytesOut: new Float64Array(capacity),
  };
}

/** `span` holding the one piece given (its buffers reused). */
export function onePiece(
  span: LateSpan,
  ts: number,
  msgs: number,
  bytesIn: number,
  bytesOut: number,
): LateSpan {
  span.count = 1;
  span.ts[0] = ts;
  span.msgs[0] = msgs;
  span.bytesIn[0] = bytesIn;
  span.bytesOut[0] = bytesOut;
  return span;
}

export interface AggregatorListener {
  /**
   * A whole second has closed: `traffic` holds its msgs / bytes in / bytes out per cell and
   * `counts` the device counts at its end. Both are reused after the call returns: copy what
   * you keep.
   */
  onSecond?(secondStart: number, traffic: Float64Array, counts: CellCounts): void;
  /** A tick period [tickEnd - tickMs, tickEnd) has closed; same reuse rule. */
  onTick?(tickEnd: number, traffic: Float64Array, counts: CellCounts): void;
  /**
   * Traffic for a slot that has already closed (event time older than the open window), piece
   * by piece. Not called when `onLateSpan` is given.
   */
  onLate?(cell: number, ts: number, msgs: number, bytesIn: number, bytesOut: number): void;
  /**
   * The same, a report's late pieces at once (one piece for `fold`, the closed part of the span
   * for `foldSpan`): a listener that sums per bucket can then look each bucket up once.
   */
  onLateSpan?(cell: number, span: LateSpan): void;
}

export interface AggregatorOptions {
  cells: number;
  tickMs: number;
  /** How long after its end a slot stays open for late-arriving traffic. */
  graceMs: number;
  /** Traffic stamped up to this far ahead of the clock counts in the current slot. */
  futureToleranceMs?: number;
  /** First slot start; earlier traffic is late. */
  start: number;
  /** Late traffic older than this (relative to the clock) is dropped; default 24 h. */
  latenessMs?: number;
}

/**
 * Folds device traffic into per-cell accumulators by event time and keeps device counts per
 * cell. Slots are min(tickMs, 1000) long; closing them in order yields seconds (for history)
 * and ticks (for live views). Memory is fixed at construction: a few arrays of cells × 3.
 */
export class Aggregator {
  readonly counts: CellCounts;
  readonly slotMs: number;
  readonly tickMs: number;
  private readonly cells: number;
  private readonly ring: Float64Array[];
  private readonly futureToleranceMs: number;
  private readonly latenessMs: number;
  /** Absolute number of the oldest open slot. */
  private firstOpen: number;
  private readonly secondAcc: Float64Array;
  private tickAcc: Float64Array;
  /** The traffic of the last closed tick, for answering a new subscriber at once. */
  private lastTick: Float64Array;
  private lastTickEnd = 0;
  /** Scratch for foldSpan: the pieces of the span, and those of them that are late. */
  private readonly pieceTs = new Float64Array(MAX_PIECES);
  private readonly pieceShare = new Float64Array(MAX_PIECES);
  private readonly late = lateSpan(MAX_PIECES);
  lateCount = 0;
  tooLateCount = 0;
  futureCount = 0;

  constructor(
    options: AggregatorOptions,
    private readonly listener: AggregatorListener = {},
  ) {
    this.cells = options.cells;
    this.tickMs = options.tickMs;
    this.slotMs = Math.min(options.tickMs, 1000);
    this.futureToleranceMs = options.futureToleranceMs ?? 5000;
    this.latenessMs = options.latenessMs ?? 86_400_000;
    const ringSize = 2 + Math.ceil(options.graceMs / this.slotMs);
    const size = this.cells * TRAFFIC_FIELDS;
    this.ring = Array.from({ length: ringSize }, () => new Float64Array(size));
    this.secondAcc = this.slotMs < 1000 ? new Float64Array(size) : new Float64Array(0);
    this.tickAcc = new Float64Array(size);
    this.lastTick = new Float64Array(size);
    this.counts = allocCounts(this.cells);
    this.firstOpen = Math.floor(options.start / this.slotMs);
  }

  /** Start of the oldest slot still accepting traffic. */
  get openFrom(): number {
    return this.firstOpen * this.slotMs;
  }

  /** End of the last closed tick period (0 before the first). */
  get lastTickTs(): number {
    return this.lastTickEnd;
  }

  get lastTickTraffic(): Float64Array {
    return this.lastTick;
  }

  /** Moves a device between statuses in its cell. */
  applyStatus(cell: number, from: number, to: number, weight: number): void {
    applyStatusToCounts(this.counts, cell, from, to, weight);
  }

  /** Adds one device report's traffic to the slot of its event time. */
  fold(
    cell: number,
    ts: number,
    msgs: number,
    bytesIn: number,
    bytesOut: number,
    now: number,
  ): FoldResult {
    let slot = Math.floor(ts / this.slotMs);
    if (slot < this.firstOpen) {
      if (ts < now - this.latenessMs) {
        this.tooLateCount++;
        return FOLD_TOO_LATE;
      }
      this.lateCount++;
      if (this.listener.onLateSpan) {
        this.listener.onLateSpan(cell, onePiece(this.late, ts, msgs, bytesIn, bytesOut));
      } else {
        this.listener.onLate?.(cell, ts, msgs, bytesIn, bytesOut);
      }
      return FOLD_LATE;
    }
    const newest = this.firstOpen + this.ring.length - 1;
    if (slot > newest) {
      if (ts - now > this.futureToleranceMs) {
        this.futureCount++;
        return FOLD_FUTURE;
      }
      slot = Math.max(this.firstOpen, Math.min(newest, Math.floor(now / this.slotMs)));
    }
    const buf = this.ring[slot % this.ring.length]!;
    const i = cell * TRAFFIC_FIELDS;
    buf[i]! += msgs;
    buf[i + 1]! += bytesIn;
    buf[i + 2]! += bytesOut;
    return FOLD_OK;
  }

  /**
   * Spreads one report's traffic over the interval (from, to] as `splitSpan` cuts it (whole
   * seconds): the same as folding each piece, `share` of each figure, with `fold`, but the
   * pieces for closed slots reach an `onLateSpan` listener in one call. Pieces older than the
   * lateness window are dropped and counted, those ahead of the clock likewise, as by `fold`.
   */
  foldSpan(
    cell: number,
    from: number,
    to: number,
    msgs: number,
    bytesIn: number,
    bytesOut: number,
    now: number,
  ): void {
    const pieceTs = this.pieceTs;
    const pieceShare = this.pieceShare;
    const n = splitSpan(from, to, pieceTs, pieceShare);
    const spans = this.listener.onLateSpan !== undefined;
    const late = this.late;
    const tooLate = now - this.latenessMs;
    let count = 0;
    for (let p = 0; p < n; p++) {
      const ts = pieceTs[p]!;
      const share = pieceShare[p]!;
      if (spans && Math.floor(ts / this.slotMs) < this.firstOpen && ts >= tooLate) {
        this.lateCount++;
        late.ts[count] = ts;
        late.msgs[count] = msgs * share;
        late.bytesIn[count] = bytesIn * share;
        late.bytesOut[count] = bytesOut * share;
        count++;
      } else {
        this.fold(cell, ts, msgs * share, bytesIn * share, bytesOut * share, now);
      }
    }
    if (count > 0) {
      late.count = count;
      this.listener.onLateSpan?.(cell, late);
    }
  }

  /**
   * The open slot buffer starting at `slotStart`, for bulk writers such as the simulator, or
   * null when that slot is not open.
   */
  slotBuffer(slotStart: number): Float64Array | null {
    const slot = Math.floor(slotStart / this.slotMs);
    if (slot < this.firstOpen || slot >= this.firstOpen + this.ring.length) return null;
    return this.ring[slot % this.ring.length]!;
  }

  /** Drops open traffic and reopens at `start` (after a stall too long to replay). */
  resetTo(start: number): void {
    for (const buf of this.ring) buf.fill(0);
    this.secondAcc.fill(0);
    this.tickAcc.fill(0);
    this.firstOpen = Math.floor(start / this.slotMs);
  }

  /** Closes every slot that ends at or before `end`, in order. */
  closeThrough(end: number): void {
    while ((this.firstOpen + 1) * this.slotMs <= end) this.closeOldest();
  }

  private closeOldest(): void {
    const slot = this.firstOpen;
    const buf = this.ring[slot % this.ring.length]!;
    const slotEnd = (slot + 1) * this.slotMs;
    addInto(this.tickAcc, buf);
    if (this.slotMs < 1000) {
      addInto(this.secondAcc, buf);
      if (slotEnd % 1000 === 0) {
        this.listener.onSecond?.(slotEnd - 1000, this.secondAcc, this.counts);
        this.secondAcc.fill(0);
      }
    } else {
      this.listener.onSecond?.(slotEnd - 1000, buf, this.counts);
    }
    buf.fill(0);
    this.firstOpen = slot + 1;
    if (slotEnd % this.tickMs === 0) {
      const done = this.tickAcc;
      this.tickAcc = this.lastTick;
      this.lastTick = done;
      this.lastTickEnd = slotEnd;
      this.tickAcc.fill(0);
      this.listener.onTick?.(slotEnd, done, this.counts);
    }
  }
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i]! += source[i]!;
}
