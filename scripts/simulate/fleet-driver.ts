// What each device of a simulated fleet says over time, for a load generator that publishes it
// to a real broker. Placement, status and traffic come from the built-in simulator's own models
// (fleet, status model with incidents, traffic model), so the fleet looks like the dashboard's
// simulated one; only the per-device running counters, boots and reports are added here.
import { DEVICE_CLASSES, TECHNOLOGIES } from '../../src/protocol/dimensions.ts';
import { CELLS_PER_SITE, TRAFFIC_FIELDS } from '../../src/server/aggregate/cells.ts';
import { hash32, seedFrom, unit } from '../../src/server/core/random.ts';
import { loadSiteCatalog } from '../../src/server/sites/catalog.ts';
import { ScopeIndex } from '../../src/server/sites/scope-index.ts';
import { fleetCells, generateFleet, type Fleet } from '../../src/server/simulator/fleet.ts';
import { IncidentSchedule, type Incident } from '../../src/server/simulator/incidents.ts';
import { LocalTime } from '../../src/server/simulator/local-time.ts';
import { DEGRADED_TRAFFIC } from '../../src/server/simulator/profiles.ts';
import {
  ABSENT,
  DEGRADED,
  OFFLINE,
  ONLINE,
  StatusModel,
} from '../../src/server/simulator/status-model.ts';
import { TrafficModel } from '../../src/server/simulator/traffic.ts';

export type DeviceStatus = 'online' | 'degraded' | 'offline';

/** What a report of a device carries (bit flags; see FleetDriver.step). */
export const STATUS_CHANGED = 1;
/** The device (re)booted since its previous report: new boot id, counters from 0. */
export const BOOTED = 2;
/** The device is connected and sends telemetry. */
export const TELEMETRY = 4;

export interface FleetDriverOptions {
  devices: number;
  seed: string;
  /** Device ids are `${idPrefix}${index}`. */
  idPrefix?: string;
  /** Incidents (outages, degradations, firmware reboots) as in the default scenario. */
  incidents?: boolean;
  /** Chance that a device rebooted between two reports while staying online. */
  rebootChance?: number;
  /** Boot ids start with this text, so a restarted load generator is a reboot of every device. */
  run?: string;
}

const NEVER = 0;
/** Traffic rates per connected device are taken from the traffic model at this scale. */
const SCALE = 1e6;
const K_ACTIVITY = 101;
const K_ROUND = 102;
const K_REBOOT = 103;
const K_UPTIME = 104;
const DAY_S = 86_400;
const CODES: readonly DeviceStatus[] = ['offline', 'online', 'degraded', 'offline'];

/**
 * The fleet's per-device state in typed arrays (about 45 bytes a device, so a million devices
 * take about 50 MB). `step(d, t)` advances device d to time t and says what its report holds.
 */
export class FleetDriver {
  readonly size: number;
  readonly fleet: Fleet;
  readonly scopes: ScopeIndex;
  readonly idPrefix: string;
  readonly run: string;
  private readonly seed: number;
  private readonly model: StatusModel;
  private readonly incidents: IncidentSchedule;
  private readonly traffic: TrafficModel;
  private readonly rebootChance: number;
  /** Last status reported: 0 = none yet, then the status model's codes. */
  private readonly status: Uint8Array;
  private readonly boots: Uint32Array;
  private readonly reports: Uint32Array;
  private readonly lastAt: Float64Array;
  private readonly msgs: Float64Array;
  private readonly bytesIn: Float64Array;
  private readonly bytesOut: Float64Array;
  private readonly cellOf: Int32Array;
  private readonly cells: Int32Array;
  private readonly scaled: Float64Array;
  private readonly zeros: Float64Array;
  /** Per cell: msgs/s, bytes in per msg, bytes out per msg of one connected device. */
  private readonly rates: Float64Array;
  private ratesSecond = Number.NaN;
  private active: readonly Incident[] = [];
  private activeSecond = Number.NaN;
  readonly metaJson: (d: number) => string;
  /** Reboots while online, and returns from offline, since construction. */
  reboots = 0;
  statusChanges = 0;

  constructor(o: FleetDriverOptions) {
    this.seed = seedFrom(o.seed);
    this.idPrefix = o.idPrefix ?? 'dev-';
    this.run = o.run ?? Date.now().toString(36);
    this.rebootChance = o.rebootChance ?? 1 / 5000;
    this.scopes = new ScopeIndex(loadSiteCatalog());
    const sites = this.scopes.sites;
    this.fleet = generateFleet(sites, o.devices, this.seed);
    this.size = this.fleet.size;
    this.incidents = new IncidentSchedule(this.seed, this.scopes, o.incidents ?? true);
    this.model = new StatusModel(this.seed, this.fleet, this.incidents);
    this.traffic = new TrafficModel(
      this.seed,
      sites.length,
      new LocalTime(sites.map((s) => s.timeZone)),
    );
    const n = this.size;
    this.status = new Uint8Array(n);
    this.boots = new Uint32Array(n);
    this.reports = new Uint32Array(n);
    this.lastAt = new Float64Array(n);
    this.msgs = new Float64Array(n);
    this.bytesIn = new Float64Array(n);
    this.bytesOut = new Float64Array(n);
    const cellCount = sites.length * CELLS_PER_SITE;
    const { cellOf, used } = fleetCells(this.fleet, sites.length);
    this.cellOf = cellOf;
    this.cells = used;
    this.scaled = new Float64Array(cellCount);
    for (const c of this.cells) this.scaled[c] = SCALE;
    this.zeros = new Float64Array(cellCount);
    this.rates = new Float64Array(cellCount * TRAFFIC_FIELDS);
    // One meta text per (site, tech, class) is cheap to build; cache none, they are sent once.
    this.metaJson = (d) =>
      `{"site":${JSON.stringify(sites[this.fleet.site[d]!]!.id)},"tech":"${
        TECHNOLOGIES[this.fleet.tech[d]!]
      }","class":"${DEVICE_CLASSES[this.fleet.cls[d]!]}"}`;
  }

  id(d: number): string {
    return `${this.idPrefix}${d}`;
  }

  /** The status device d last reported (offline before its first report). */
  statusOf(d: number): DeviceStatus {
    return CODES[this.status[d]!]!;
  }

  /** True once device d has been reported online or degraded and not offline since. */
  connected(d: number): boolean {
    const s = this.status[d]!;
    return s === ONLINE || s === DEGRADED;
  }

  /**
   * Advances device d to time t (epoch ms, not before its previous step): evaluates the status
   * model and adds the traffic since the previous report to its running counters. Returns
   * STATUS_CHANGED | BOOTED | TELEMETRY flags; read the status with statusOf and the report with
   * telemetryBody.
   */
  step(d: number, t: number): number {
    const s = this.evaluate(d, t);
    const prev = this.status[d]!;
    const up = s === ONLINE || s === DEGRADED;
    const now = up ? s : OFFLINE;
    let flags = 0;
    if (now !== prev) {
      flags |= STATUS_CHANGED;
      if (prev !== NEVER) this.statusChanges++;
    }
    this.status[d] = now;
    if (!up) {
      this.lastAt[d] = t;
      return flags;
    }
    flags |= TELEMETRY;
    const n = this.reports[d]!;
    this.reports[d] = n + 1;
    const dt = prev === NEVER ? 0 : (t - this.lastAt[d]!) / 1000;
    if (prev === NEVER) {
      // Running since some time today: counters start from a random uptime's traffic.
      this.boots[d] = 1;
      this.setCounters(d, 0);
      this.addTraffic(d, t, DAY_S * unit(this.seed, d, K_UPTIME), s, n);
      flags |= BOOTED;
    } else if (prev === OFFLINE || unit(this.seed, d, n, K_REBOOT) < this.rebootChance) {
      // Back from offline, or a quick reboot between reports: a new boot counts from 0.
      this.boots[d]!++;
      this.reboots++;
      this.setCounters(d, 0);
      this.addTraffic(d, t, dt * unit(this.seed, d, n, K_UPTIME), s, n);
      flags |= BOOTED;
    } else {
      this.addTraffic(d, t, dt, s, n);
    }
    this.lastAt[d] = t;
    return flags;
  }

  /** The telemetry payload of device d's last step, stamped t. */
  telemetryBody(d: number, t: number): string {
    return `{"boot":"${this.run}.${this.boots[d]}","ts":${t},"msgs":${this.msgs[d]},"bytesIn":${
      this.bytesIn[d]
    },"bytesOut":${this.bytesOut[d]}}`;
  }

  /** The same as a gateway batch record. */
  telemetryRecord(d: number, t: number): string {
    return `{"type":"telemetry","device":"${this.id(d)}","boot":"${this.run}.${this.boots[d]}","ts":${t},"msgs":${
      this.msgs[d]
    },"bytesIn":${this.bytesIn[d]},"bytesOut":${this.bytesOut[d]}}`;
  }

  statusRecord(d: number, t: number): string {
    return `{"type":"status","device":"${this.id(d)}","status":"${this.statusOf(d)}","ts":${t}}`;
  }

  metaRecord(d: number): string {
    return `{"type":"meta","device":"${this.id(d)}",${this.metaJson(d).slice(1)}`;
  }

  /** How many devices last reported online, degraded and offline (never reported = offline). */
  countStatuses(): { online: number; degraded: number; offline: number } {
    let online = 0;
    let degraded = 0;
    for (let d = 0; d < this.size; d++) {
      const s = this.status[d];
      if (s === ONLINE) online++;
      else if (s === DEGRADED) degraded++;
    }
    return { online, degraded, offline: this.size - online - degraded };
  }

  /** Marks device d offline without a report (the load generator is stopping). */
  disconnect(d: number): void {
    if (this.status[d] !== NEVER) this.status[d] = OFFLINE;
  }

  private evaluate(d: number, t: number): number {
    const second = Math.floor(t / 1000);
    if (second !== this.activeSecond) {
      this.activeSecond = second;
      this.active = this.incidents.activeAt(t);
    }
    const s = this.model.evaluate(d, t, this.active);
    // A retired slot (waiting for its replacement device) is simply offline here.
    return s === ABSENT ? OFFLINE : s;
  }

  private setCounters(d: number, v: number): void {
    this.msgs[d] = v;
    this.bytesIn[d] = v;
    this.bytesOut[d] = v;
  }

  /** Adds `seconds` of device d's traffic at its site's local time t to its counters. */
  private addTraffic(d: number, t: number, seconds: number, s: number, n: number): void {
    if (seconds <= 0) return;
    this.refreshRates(t);
    const i = this.cellOf[d]! * TRAFFIC_FIELDS;
    const activity = 0.5 + unit(this.seed, d, K_ACTIVITY);
    const expected = this.rates[i]! * seconds * activity * (s === DEGRADED ? DEGRADED_TRAFFIC : 1);
    // Whole messages, rounded stochastically so that rare talkers still add up right.
    const msgs = Math.floor(expected + hash32(this.seed, d, n, K_ROUND) / 4294967296);
    if (msgs === 0) return;
    this.msgs[d]! += msgs;
    this.bytesIn[d]! += Math.round(msgs * this.rates[i + 1]!);
    this.bytesOut[d]! += Math.round(msgs * this.rates[i + 2]!);
  }

  /** Per-device rates of every cell for the second of t, from the simulator's traffic model. */
  private refreshRates(t: number): void {
    const second = Math.floor(t / 1000);
    if (second === this.ratesSecond) return;
    this.ratesSecond = second;
    const out = this.rates;
    out.fill(0);
    // The model's traffic of SCALE connected devices per cell over one second, per device.
    this.traffic.generate(second * 1000, 1000, this.cells, this.scaled, this.zeros, out);
    for (const c of this.cells) {
      const i = c * TRAFFIC_FIELDS;
      const msgs = out[i]!;
      out[i + 1] = msgs > 0 ? out[i + 1]! / msgs : 0;
      out[i + 2] = msgs > 0 ? out[i + 2]! / msgs : 0;
      out[i] = msgs / SCALE;
    }
  }
}
