import {
  DEVICE_CLASSES,
  REGION_NAMES,
  TECHNOLOGIES,
  type Region,
} from '../../protocol/dimensions.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { unit } from '../core/random.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';

export type IncidentKind = 'outage' | 'degradation' | 'firmware';

/** A simulated incident; a pure function of the seed and its schedule slot. */
export interface Incident {
  id: string;
  kind: IncidentKind;
  start: number;
  end: number;
  scope: ScopeNode;
  /** Bit t set: technology t is affected. */
  techMask: number;
  /** Bit c set: class c is affected. */
  classMask: number;
  /** Share of matching devices that are affected. */
  fraction: number;
  /** Salt for per-device draws. */
  salt: number;
  title: string;
  description: string;
}

export const INCIDENT_SLOT_MS = 2 * 3600_000;
export const MAX_INCIDENT_MS = 3 * 3600_000;
const INCIDENT_CHANCE = 0.45;
const FIRMWARE_REBOOT_MS = { min: 2 * 60_000, max: 8 * 60_000 };

const CARRIER_TECHS = ['cellular-4g', 'cellular-5g', 'lte-m', 'nb-iot'] as const;
const OUTAGE_TECHS = [
  'cellular-4g',
  'cellular-5g',
  'lte-m',
  'nb-iot',
  'lorawan',
  'satellite',
] as const;

const K = { exists: 11, start: 12, kind: 13, place: 14, level: 15, tech: 16, dur: 17, cls: 18 };

export class IncidentSchedule {
  private readonly cumulative: Float64Array;
  private readonly totalPopulation: number;
  private readonly cache = new Map<number, Incident | null>();

  constructor(
    private readonly seed: number,
    private readonly scopes: ScopeIndex,
    private readonly enabled: boolean,
  ) {
    this.cumulative = new Float64Array(scopes.sites.length);
    let total = 0;
    scopes.sites.forEach((s, i) => {
      total += s.population;
      this.cumulative[i] = total;
    });
    this.totalPopulation = total;
  }

  /** The incident scheduled in slot j, if any. */
  inSlot(j: number): Incident | null {
    if (!this.enabled) return null;
    let inc = this.cache.get(j);
    if (inc === undefined) {
      inc = this.build(j);
      if (this.cache.size > 512) this.cache.clear();
      this.cache.set(j, inc);
    }
    return inc;
  }

  /** Incidents overlapping [from, to), oldest first. */
  overlapping(from: number, to: number): Incident[] {
    const out: Incident[] = [];
    const first = Math.floor((from - MAX_INCIDENT_MS) / INCIDENT_SLOT_MS);
    const last = Math.floor(to / INCIDENT_SLOT_MS);
    for (let j = first; j <= last; j++) {
      const inc = this.inSlot(j);
      if (inc && inc.start < to && inc.end > from) out.push(inc);
    }
    return out;
  }

  activeAt(t: number): Incident[] {
    return this.overlapping(t, t + 1).filter((inc) => inc.start <= t && t < inc.end);
  }

  /** Incidents whose start lies in (from, to], in start order. */
  startingIn(from: number, to: number): Incident[] {
    const out: Incident[] = [];
    for (let j = Math.floor(from / INCIDENT_SLOT_MS); j <= Math.floor(to / INCIDENT_SLOT_MS); j++) {
      const inc = this.inSlot(j);
      if (inc && inc.start > from && inc.start <= to) out.push(inc);
    }
    return out;
  }

  /** Whether device d (at site, tech, cls) is among those the incident hits. */
  hits(inc: Incident, d: number, site: number, tech: number, cls: number): boolean {
    return (
      site >= inc.scope.siteStart &&
      site < inc.scope.siteStart + inc.scope.siteCount &&
      (inc.techMask & (1 << tech)) !== 0 &&
      (inc.classMask & (1 << cls)) !== 0 &&
      unit(this.seed, inc.salt, d) < inc.fraction
    );
  }

  /** For firmware roll-outs: the window in which device d reboots (offline). */
  rebootWindow(inc: Incident, d: number): [number, number] {
    const len =
      FIRMWARE_REBOOT_MS.min +
      (FIRMWARE_REBOOT_MS.max - FIRMWARE_REBOOT_MS.min) * unit(this.seed, inc.salt, d, 1);
    const start =
      inc.start + Math.floor((inc.end - inc.start - len) * unit(this.seed, inc.salt, d, 2));
    return [start, start + Math.floor(len)];
  }

  private siteAt(r: number): number {
    const x = r * this.totalPopulation;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private build(j: number): Incident | null {
    const s = this.seed;
    if (unit(s, K.exists, j) >= INCIDENT_CHANCE) return null;
    const start = j * INCIDENT_SLOT_MS + Math.floor(unit(s, K.start, j) * INCIDENT_SLOT_MS);
    const site = this.scopes.sites[this.siteAt(unit(s, K.place, j))]!;
    const country = this.scopes.resolve(`country:${site.country}`)!;
    const region = this.scopes.resolve(`region:${site.region}`)!;
    const kindDraw = unit(s, K.kind, j);
    const allClasses = (1 << DEVICE_CLASSES.length) - 1;
    const salt = 1000 + (j % 1_000_000);
    const minutes = (lo: number, hi: number) =>
      Math.floor((lo + (hi - lo) * unit(s, K.dur, j)) * 60_000);
    if (kindDraw < 0.4) {
      const tech = CARRIER_TECHS[Math.floor(unit(s, K.tech, j) * CARRIER_TECHS.length)]!;
      return {
        id: `sim-${j}`,
        kind: 'degradation',
        start,
        end: start + minutes(20, 150),
        scope: country,
        techMask: 1 << TECHNOLOGIES.indexOf(tech),
        classMask: allClasses,
        fraction: 0.6,
        salt,
        title: `Degraded carrier: ${tech} in ${country.name}`,
        description: `A ${tech} carrier in ${country.name} is congested; about 60% of its devices report degraded links.`,
      };
    }
    if (kindDraw < 0.75) {
      const tech = OUTAGE_TECHS[Math.floor(unit(s, K.tech, j) * OUTAGE_TECHS.length)]!;
      const wide = unit(s, K.level, j) < 0.25;
      const scope = wide ? region : country;
      const fraction = wide ? 0.3 : 0.75;
      return {
        id: `sim-${j}`,
        kind: 'outage',
        start,
        end: start + minutes(15, 120),
        scope,
        techMask: 1 << TECHNOLOGIES.indexOf(tech),
        classMask: allClasses,
        fraction,
        salt,
        title: `Outage: ${tech} in ${scope.name}`,
        description: `A ${tech} network outage in ${scope.name}; about ${Math.round(fraction * 100)}% of its devices are offline.`,
      };
    }
    const cls = DEVICE_CLASSES[Math.floor(unit(s, K.cls, j) * DEVICE_CLASSES.length)]!;
    return {
      id: `sim-${j}`,
      kind: 'firmware',
      start,
      end: start + minutes(60, 180),
      scope: region,
      techMask: (1 << TECHNOLOGIES.length) - 1,
      classMask: 1 << DEVICE_CLASSES.indexOf(cls),
      fraction: 0.5,
      salt,
      title: `Firmware roll-out: ${cls} in ${REGION_NAMES[site.region as Region]}`,
      description: `Half of the ${cls} devices in ${region.name} reboot into new firmware, each offline for a few minutes.`,
    };
  }
}
