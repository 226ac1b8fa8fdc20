// Running counters → traffic. Devices report totals since boot, so a lost message loses no
// traffic (the next report includes it) and a redelivered one must not count twice.

/** What Meridian remembers of a device's counters between reports. */
export interface CounterState {
  boot: string;
  /** Event time of the last counted report, epoch ms. */
  ts: number;
  msgs: number;
  bytesIn: number;
  bytesOut: number;
  /** The boot before this one: its stragglers (redelivered late) are not a new boot. */
  prevBoot: string | null;
}

export interface CounterReport {
  boot: string;
  ts: number;
  msgs: number;
  bytesIn: number;
  bytesOut: number;
}

export type CounterOutcome =
  /** First report Meridian sees of this device: the starting point, nothing to count yet. */
  | { kind: 'baseline'; state: CounterState }
  /** Traffic in (from, to]: spread it over those seconds. */
  | {
      kind: 'delta';
      from: number;
      to: number;
      msgs: number;
      bytesIn: number;
      bytesOut: number;
      reset: boolean;
      state: CounterState;
    }
  /** Already counted (same or older report of this boot, or of the boot before). */
  | { kind: 'duplicate' };

/**
 * Compares a report with the device's counter state. A counter that went down, or a new boot
 * id, is a reset: the new counters are all traffic since the reboot, which happened after the
 * previous report.
 *
 * A counted report updates `prev` in place and returns it as the outcome's state: a state lives
 * from one report of its device to the next (seconds), long enough to reach the old generation,
 * so a new object per report would make most of ingest's garbage. The baseline copies only the
 * counter fields (the report may be a whole record, with its type and device).
 */
export function countReport(prev: CounterState | null, r: CounterReport): CounterOutcome {
  if (!prev) {
    const state: CounterState = {
      boot: r.boot,
      ts: r.ts,
      msgs: r.msgs,
      bytesIn: r.bytesIn,
      bytesOut: r.bytesOut,
      prevBoot: null,
    };
    return { kind: 'baseline', state };
  }
  if (r.boot === prev.prevBoot) return { kind: 'duplicate' };
  const sameBoot = r.boot === prev.boot;
  if (sameBoot && r.ts <= prev.ts) return { kind: 'duplicate' };
  // A new boot whose report is older than what we counted is a straggler we cannot place.
  if (!sameBoot && r.ts <= prev.ts) return { kind: 'duplicate' };
  const wentDown =
    sameBoot && (r.msgs < prev.msgs || r.bytesIn < prev.bytesIn || r.bytesOut < prev.bytesOut);
  const reset = !sameBoot || wentDown;
  const outcome: CounterOutcome = {
    kind: 'delta',
    from: prev.ts,
    to: r.ts,
    msgs: reset ? r.msgs : r.msgs - prev.msgs,
    bytesIn: reset ? r.bytesIn : r.bytesIn - prev.bytesIn,
    bytesOut: reset ? r.bytesOut : r.bytesOut - prev.bytesOut,
    reset,
    state: prev,
  };
  if (!sameBoot) {
    prev.prevBoot = prev.boot;
    prev.boot = r.boot;
  }
  prev.ts = r.ts;
  prev.msgs = r.msgs;
  prev.bytesIn = r.bytesIn;
  prev.bytesOut = r.bytesOut;
  return outcome;
}
