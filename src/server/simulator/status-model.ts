import { DEVICE_CLASSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import { unit } from '../core/random.ts';
import type { Fleet } from './fleet.ts';
import type { Incident, IncidentSchedule } from './incidents.ts';
import { CLASS_PROFILES, LIFETIME_DAYS, REPLACEMENT_GAP_DAYS, TECH_PROFILES } from './profiles.ts';

/** Device status codes in typed arrays; ABSENT is a retired slot awaiting its replacement. */
export const ABSENT = 0;
export const ONLINE = 1;
export const DEGRADED = 2;
export const OFFLINE = 3;
/** The codes' names, as the device registry and transition log write them. */
export const STATUS_NAMES = ['absent', 'online', 'degraded', 'offline'] as const;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const K = { life: 1, lifePhase: 2, gap: 3, period: 4, phase: 5, window: 6, len: 7, start: 8 };

/**
 * Each device's status is a pure function of (seed, device, time): time is cut into windows of a
 * device-specific length and each window holds at most one offline or degraded spell, decided by
 * a hash. Incidents overlay that. So any moment can be evaluated without replaying history, and
 * a restart resumes exactly the fleet it left.
 */
export class StatusModel {
  /** The next time at which the last evaluated device may change status. */
  next = 0;
  /** Which generation of its slot the last evaluated device is (a replacement is a new device). */
  generation = 0;
  private readonly pOff = new Float64Array(64);
  private readonly pDeg = new Float64Array(64);
  private readonly windowMs = new Float64Array(DEVICE_CLASSES.length);

  constructor(
    private readonly seed: number,
    private readonly fleet: Fleet,
    private readonly incidents: IncidentSchedule,
  ) {
    DEVICE_CLASSES.forEach((cls, c) => {
      const p = CLASS_PROFILES[cls];
      this.windowMs[c] = p.windowHours * HOUR;
      TECHNOLOGIES.forEach((tech, t) => {
        this.pOff[c * 8 + t] = p.pOffline * TECH_PROFILES[tech].flakiness;
        this.pDeg[c * 8 + t] = p.pDegraded * TECH_PROFILES[tech].flakiness;
      });
    });
  }

  /** Status of device d at time t (integer ms) under the active incidents; sets `next`. */
  evaluate(d: number, t: number, active: readonly Incident[]): number {
    const s = this.seed;
    // Lifetime: the slot holds one device per generation, empty for a gap before replacement.
    const life = Math.floor(
      (LIFETIME_DAYS.min + (LIFETIME_DAYS.max - LIFETIME_DAYS.min) * unit(s, d, K.life)) * DAY,
    );
    const lifePhase = Math.floor(unit(s, d, K.lifePhase) * life);
    const gap = Math.floor(
      (REPLACEMENT_GAP_DAYS.min +
        (REPLACEMENT_GAP_DAYS.max - REPLACEMENT_GAP_DAYS.min) * unit(s, d, K.gap)) *
        DAY,
    );
    const x = t + lifePhase;
    const generation = Math.floor(x / life);
    const generationStart = generation * life - lifePhase;
    this.generation = generation;
    if (x - generation * life >= life - gap) {
      this.next = generationStart + life;
      return ABSENT;
    }
    let next = generationStart + life - gap;

    const cls = this.fleet.cls[d]!;
    const ct = cls * 8 + this.fleet.tech[d]!;
    const period = Math.floor(this.windowMs[cls]! * (0.5 + unit(s, d, K.period)));
    const phase = Math.floor(unit(s, d, K.phase) * period);
    const y = t + phase;
    const k = Math.floor(y / period);
    const windowStart = k * period - phase;
    const pos = y - k * period;
    let status = ONLINE;
    let windowNext = windowStart + period;
    const u = unit(s, d, k, K.window);
    const pOff = this.pOff[ct]!;
    if (u < pOff + this.pDeg[ct]!) {
      const len = Math.floor(period * (0.1 + 0.7 * unit(s, d, k, K.len)));
      const start = Math.floor((period - len) * unit(s, d, k, K.start));
      if (pos < start) windowNext = windowStart + start;
      else if (pos < start + len) {
        status = u < pOff ? OFFLINE : DEGRADED;
        windowNext = windowStart + start + len;
      }
    }
    if (windowNext < next) next = windowNext;

    for (const inc of active) {
      if (!this.incidents.hits(inc, d, this.fleet.site[d]!, this.fleet.tech[d]!, cls)) continue;
      if (inc.kind === 'firmware') {
        const [from, to] = this.incidents.rebootWindow(inc, d);
        if (t < from) next = Math.min(next, from);
        else if (t < to) {
          status = OFFLINE;
          next = Math.min(next, to);
        }
      } else {
        status = Math.max(status, inc.kind === 'outage' ? OFFLINE : DEGRADED);
        next = Math.min(next, inc.end);
      }
    }
    this.next = next;
    return status;
  }
}
