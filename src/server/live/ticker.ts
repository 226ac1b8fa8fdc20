import type { Clock, TimerHandle } from '../core/clock.ts';

/**
 * Calls `step(slotEnd)` for every slot end, `graceMs` after it, in order and without skipping.
 * When the process has stalled for longer than `maxCatchUpMs` it calls `jump(slotEnd)` once
 * instead of replaying every missed slot.
 */
export class Ticker {
  private timer: TimerHandle | null = null;
  private done: number;

  constructor(
    private readonly clock: Clock,
    private readonly slotMs: number,
    private readonly graceMs: number,
    private readonly step: (slotEnd: number) => void,
    private readonly jump: (slotEnd: number) => void,
    startAfter: number,
    private readonly maxCatchUpMs = 60_000,
  ) {
    this.done = startAfter;
  }

  start(): void {
    if (!this.timer) this.schedule();
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const due = this.done + this.slotMs + this.graceMs;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, due - this.clock.now()));
  }

  private run(): void {
    const now = this.clock.now();
    const latest = Math.floor((now - this.graceMs) / this.slotMs) * this.slotMs;
    if (latest - this.done > this.maxCatchUpMs) {
      this.done = latest;
      this.jump(latest);
    } else {
      while (this.done + this.slotMs <= latest) {
        this.done += this.slotMs;
        this.step(this.done);
      }
    }
    this.schedule();
  }
}
