import type { FleetEvent } from '../../protocol/api.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { CELLS_PER_SITE } from '../aggregate/cells.ts';
import type { Scenario } from '../core/config.ts';
import { seedFrom } from '../core/random.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import { fleetCells, generateFleet, type Fleet } from './fleet.ts';
import { IncidentSchedule, type Incident } from './incidents.ts';
import { LocalTime } from './local-time.ts';
import { PLANET_DEVICES } from './profiles.ts';
import { DEGRADED, ONLINE, StatusModel } from './status-model.ts';
import { TimeHeap } from './heap.ts';
import { TrafficModel } from './traffic.ts';

/** Where the simulator's figures go (the aggregator implements it). */
export interface SimulatorSink {
  applyStatus(cell: number, from: number, to: number, weight: number): void;
  /** The open traffic buffer of the slot starting at slotStart, or null if it has closed. */
  slotBuffer(slotStart: number): Float64Array | null;
}

/**
 * A device's status moved at time t (codes of status-model.ts). `initial` marks the first
 * evaluation after a (re)start: the state is known, not the moment it began.
 */
export type StatusChangeListener = (
  device: number,
  t: number,
  from: number,
  to: number,
  initial: boolean,
) => void;

export interface SimulatorOptions {
  seed: string;
  devices: number;
  scenario: Scenario;
  scopes: ScopeIndex;
  slotMs: number;
  sink: SimulatorSink;
  onStatusChange?: StatusChangeListener;
}

/**
 * A deterministic world fleet. Device status comes from StatusModel (a pure function of seed,
 * device and time); changes are found through a heap of each device's next possible change, so
 * work per second is proportional to the changes, not the fleet. Traffic is generated per cell.
 */
export class Simulator {
  readonly fleet: Fleet;
  /** Devices each simulated device stands for (1 except in the planet scenario). */
  readonly weight: number;
  readonly incidents: IncidentSchedule;
  private readonly seed: number;
  private readonly model: StatusModel;
  private readonly traffic: TrafficModel;
  private readonly status: Uint8Array;
  /** When each device's status began (epoch ms); NaN when it began before we were watching. */
  private readonly since: Float64Array;
  private readonly generation: Uint16Array;
  private readonly onStatusChange: StatusChangeListener | undefined;
  private initial = false;
  private readonly nextAt: Float64Array;
  private readonly heap: TimeHeap;
  private readonly cellOf: Int32Array;
  private readonly nonEmptyCells: Int32Array;
  private readonly online: Float64Array;
  private readonly degraded: Float64Array;
  private readonly slotMs: number;
  private readonly sink: SimulatorSink;
  private readonly scopes: ScopeIndex;
  private time = Number.NaN;
  /** When the simulator first started (live); replayed changes before it are notePast's. */
  private firstStart = Number.NaN;
  private past: { t: Float64Array; to: Uint8Array } | null = null;
  private trafficDone = Number.NaN;
  statusChanges = 0;

  constructor(options: SimulatorOptions) {
    this.seed = seedFrom(options.seed);
    this.scopes = options.scopes;
    this.slotMs = options.slotMs;
    this.sink = options.sink;
    this.fleet = generateFleet(options.scopes.sites, options.devices, this.seed);
    this.weight = options.scenario === 'planet' ? Math.round(PLANET_DEVICES / options.devices) : 1;
    this.incidents = new IncidentSchedule(this.seed, options.scopes, options.scenario !== 'calm');
    this.model = new StatusModel(this.seed, this.fleet, this.incidents);
    this.traffic = new TrafficModel(
      this.seed,
      options.scopes.sites.length,
      new LocalTime(options.scopes.sites.map((s) => s.timeZone)),
    );
    const n = this.fleet.size;
    this.status = new Uint8Array(n);
    this.since = new Float64Array(n).fill(Number.NaN);
    this.generation = new Uint16Array(n);
    this.onStatusChange = options.onStatusChange;
    this.nextAt = new Float64Array(n);
    this.heap = new TimeHeap(n + 1024);
    const cells = options.scopes.sites.length * CELLS_PER_SITE;
    const { cellOf, used } = fleetCells(this.fleet, options.scopes.sites.length);
    this.cellOf = cellOf;
    this.nonEmptyCells = used;
    this.online = new Float64Array(cells);
    this.degraded = new Float64Array(cells);
  }

  get size(): number {
    return this.fleet.size;
  }

  /** Id of the device now in slot d: each replacement is a new device. */
  deviceId(d: number): string {
    return `sim-${d}-${this.generation[d]}`;
  }

  /** The slot of the device with this id, if it is in the fleet now; null otherwise. */
  deviceOf(id: string): number | null {
    const m = /^sim-(\d+)-(\d+)$/.exec(id);
    if (!m) return null;
    const d = Number(m[1]);
    return d < this.size && this.generation[d] === Number(m[2]) ? d : null;
  }

  /** Which device now holds slot d (its id's last part). */
  generationOf(d: number): number {
    return this.generation[d]!;
  }

  /** Status code of device d now (status-model.ts: 0 absent, 1 online, 2 degraded, 3 offline). */
  statusOf(d: number): number {
    return this.status[d]!;
  }

  /**
   * When device d's status began (epoch ms): seen live, or learnt from a replay of the time
   * before the start (back-fill); NaN when neither knows.
   */
  sinceOf(d: number): number {
    const since = this.since[d]!;
    if (!Number.isNaN(since) || !this.past) return since;
    return this.past.to[d] === this.status[d] && this.past.t[d]! > 0 ? this.past.t[d]! : since;
  }

  /**
   * A replay of the time before the start saw device d move to status `to` at t. The latest such
   * change gives the start of the status the device still has, if it is the same one.
   */
  notePast(d: number, t: number, to: number): void {
    if (!(t < this.firstStart) || d >= this.fleet.size) return;
    this.past ??= { t: new Float64Array(this.fleet.size), to: new Uint8Array(this.fleet.size) };
    if (t > this.past.t[d]!) {
      this.past.t[d] = t;
      this.past.to[d] = to;
    }
  }

  /** Evaluates every device at t and reports it to the sink; traffic starts with the slot at t. */
  start(t: number): void {
    const active = this.incidents.activeAt(t);
    this.initial = true;
    for (let d = 0; d < this.fleet.size; d++) this.reevaluate(d, t, active);
    this.initial = false;
    if (Number.isNaN(this.firstStart)) this.firstStart = t;
    this.time = t;
    this.trafficDone = Math.floor(t / this.slotMs) * this.slotMs;
  }

  /** Re-evaluates the whole fleet at t after a stall, applying only what differs. */
  restart(t: number): void {
    this.heap.clear();
    // What a replay said of the time before the first start no longer reaches to now.
    this.past = null;
    this.firstStart = t;
    this.start(t);
  }

  /** Applies every status change up to t and generates the traffic of every slot ending by t. */
  advanceTo(t: number): void {
    if (!(t > this.time)) return;
    const starting = this.incidents.startingIn(this.time, t);
    let next = 0;
    for (;;) {
      const heapAt = this.heap.peekKey();
      const incAt = next < starting.length ? starting[next]!.start : Infinity;
      if (Math.min(heapAt, incAt) > t) break;
      if (incAt <= heapAt) {
        this.beginIncident(starting[next++]!);
        continue;
      }
      const d = this.heap.peekValue();
      this.heap.pop();
      if (this.nextAt[d] !== heapAt) continue; // superseded entry
      this.reevaluate(d, heapAt, this.incidents.activeAt(heapAt));
    }
    this.time = t;
    while (this.trafficDone + this.slotMs <= t) {
      const slotStart = this.trafficDone;
      const buf = this.sink.slotBuffer(slotStart);
      if (buf) {
        this.traffic.generate(
          slotStart,
          this.slotMs,
          this.nonEmptyCells,
          this.online,
          this.degraded,
          buf,
        );
      }
      this.trafficDone = slotStart + this.slotMs;
    }
  }

  private beginIncident(inc: Incident): void {
    const active = this.incidents.activeAt(inc.start);
    const from = this.fleet.siteStart[inc.scope.siteStart]!;
    const to = this.fleet.siteStart[inc.scope.siteStart + inc.scope.siteCount]!;
    for (let d = from; d < to; d++) {
      if (
        this.incidents.hits(inc, d, this.fleet.site[d]!, this.fleet.tech[d]!, this.fleet.cls[d]!)
      ) {
        this.reevaluate(d, inc.start, active);
      }
    }
  }

  private reevaluate(d: number, t: number, active: readonly Incident[]): void {
    const s = this.model.evaluate(d, t, active);
    const old = this.status[d]!;
    this.generation[d] = this.model.generation & 0xffff;
    if (s !== old || this.initial) this.onStatusChange?.(d, t, old, s, this.initial);
    if (s !== old) {
      const cell = this.cellOf[d]!;
      const w = this.weight;
      if (old === ONLINE) this.online[cell]! -= w;
      else if (old === DEGRADED) this.degraded[cell]! -= w;
      if (s === ONLINE) this.online[cell]! += w;
      else if (s === DEGRADED) this.degraded[cell]! += w;
      this.status[d] = s;
      // A change found by a (re)start happened at some unknown moment before t.
      this.since[d] = this.initial ? Number.NaN : t;
      this.sink.applyStatus(cell, old, s, w);
      this.statusChanges++;
    }
    this.nextAt[d] = this.model.next;
    this.heap.push(this.model.next, d);
  }

  /** Incidents that touch `scope` (inside it or around it) and began in [from, to), as events. */
  events(scope: ScopeNode, from: number, to: number, now: number): FleetEvent[] {
    const until = Math.min(to, now + 1);
    if (until <= from) return [];
    return this.incidents
      .overlapping(from, until)
      .filter((inc) => inc.start <= now)
      .filter(
        (inc) => this.scopes.contains(inc.scope, scope) || this.scopes.contains(scope, inc.scope),
      )
      .map((inc) => ({
        id: inc.id,
        kind: inc.kind,
        scope: inc.scope.id,
        start: inc.start,
        end: inc.end > now ? null : inc.end,
        title: inc.title,
        description: inc.description,
        simulated: true,
      }));
  }
}
