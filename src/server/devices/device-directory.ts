import { DEVICE_CLASSES, STATUSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import type { DeviceRow, DeviceSort } from '../../protocol/devices.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import {
  BYTES_IN,
  BYTES_OUT,
  CELLS_PER_SITE,
  CLASS_COUNT,
  TRAFFIC_FIELDS,
  cellIndex,
  type CellCounts,
} from '../aggregate/cells.ts';
import type { DeviceTable } from '../ingest/device-table.ts';
import type { RecentTrafficSeries } from '../ingest/recent-traffic.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import type { Simulator } from '../simulator/simulator.ts';
import {
  FROM_INGEST,
  FROM_SIMULATOR,
  SnapshotBuilder,
  type DeviceSnapshot,
  type SnapshotRow,
} from './device-snapshot.ts';

export interface DeviceSelection {
  scope: ScopeNode;
  /** Technology, class and status indexes to keep; null keeps all. */
  tech: ReadonlySet<number> | null;
  cls: ReadonlySet<number> | null;
  /** Status codes: 1 online, 2 degraded, 3 offline. */
  status: ReadonlySet<number> | null;
  /** Id prefix. */
  q: string | null;
  sort: DeviceSort;
  order: 'asc' | 'desc';
}

export interface DeviceDirectoryDeps {
  scopes: ScopeIndex;
  simulator: Simulator | null;
  /** Real sources' devices, when a real source is configured. */
  ingest: DeviceTable | null;
  /** The last closed tick's traffic and counts, for the simulator's per-device rate. */
  latest: () => { ts: number; traffic: Float64Array; counts: CellCounts } | null;
  tickMs: number;
}

const INGEST_SOURCE = ['mqtt', 'http'] as const;

/**
 * The devices of a scope as the live path sees them now: the simulator's fleet and real
 * sources' device table, read into a sorted snapshot.
 */
export class DeviceDirectory {
  constructor(private readonly d: DeviceDirectoryDeps) {}

  snapshot(sel: DeviceSelection, at: number): DeviceSnapshot {
    const { scope } = sel;
    const siteFrom = scope.siteStart;
    const siteTo = scope.siteStart + scope.siteCount;
    const keep = (tech: number, cls: number, status: number) =>
      (sel.tech === null || sel.tech.has(tech)) &&
      (sel.cls === null || sel.cls.has(cls)) &&
      (sel.status === null || sel.status.has(status));
    const sim = this.d.simulator;
    // Sized for every device that might match, so it never grows (it is dropped after build).
    const upper =
      (sim
        ? sim.fleet.siteStart[Math.min(siteTo, sim.fleet.siteStart.length - 1)]! -
          sim.fleet.siteStart[Math.min(siteFrom, sim.fleet.siteStart.length - 1)]!
        : 0) + (this.d.ingest?.size ?? 0);
    const builder = new SnapshotBuilder(upper);
    if (sim && siteFrom < this.d.scopes.sites.length) {
      const fleet = sim.fleet;
      const cellRate = this.cellRates();
      const first = fleet.siteStart[siteFrom]!;
      const last = fleet.siteStart[Math.min(siteTo, this.d.scopes.sites.length)]!;
      for (let dev = first; dev < last; dev++) {
        const status = sim.statusOf(dev);
        if (status === 0) continue; // a retired slot awaiting its replacement
        if (!keep(fleet.tech[dev]!, fleet.cls[dev]!, status)) continue;
        if (sel.q !== null && !sim.deviceId(dev).startsWith(sel.q)) continue;
        this.addSimulated(builder, dev, at, cellRate);
      }
    }

    const table = this.d.ingest;
    if (table) {
      for (let slot = 0; slot < table.size; slot++) {
        const status = table.status[slot]!;
        if (status === 0) continue; // described but never heard from
        const cell = table.cell[slot]!;
        const site = Math.floor(cell / CELLS_PER_SITE);
        if (site < siteFrom || site >= siteTo) continue;
        if (!keep(Math.floor((cell % CELLS_PER_SITE) / CLASS_COUNT), cell % CLASS_COUNT, status))
          continue;
        if (sel.q !== null && !table.ids[slot]!.startsWith(sel.q)) continue;
        this.addIngested(builder, slot);
      }
    }

    return builder.build(
      at,
      sel.sort,
      sel.order,
      (cols, i) => this.idOf(cols, i),
      (site) => this.siteName(site),
    );
  }

  /** One device as it is now, or null when no source has it. */
  find(id: string, at: number): DeviceRow | null {
    const builder = new SnapshotBuilder(1);
    const sim = this.d.simulator;
    const dev = sim?.deviceOf(id) ?? null;
    if (dev !== null && sim!.statusOf(dev) !== 0)
      this.addSimulated(builder, dev, at, this.cellRates());
    const slot = this.d.ingest?.slotOf(id);
    if (slot !== undefined && this.d.ingest!.status[slot] !== 0) this.addIngested(builder, slot);
    if (builder.size === 0) return null;
    const s = builder.build(
      at,
      'id',
      'asc',
      (cols, i) => this.idOf(cols, i),
      () => '',
    );
    return this.rowOf(s, 0);
  }

  /** A real device's data flow over the last hour; null for a simulated or silent one. */
  recentTraffic(id: string, now: number): RecentTrafficSeries | null {
    const slot = this.d.ingest?.slotOf(id);
    return slot === undefined ? null : this.d.ingest!.recent.read(slot, now);
  }

  /** The device id of a snapshot row, as it was when the snapshot was taken. */
  idOf(s: Pick<DeviceSnapshot, 'from' | 'index' | 'generation'>, row: number): string {
    if (s.from[row] === FROM_SIMULATOR) return `sim-${s.index[row]}-${s.generation[row]}`;
    return this.d.ingest?.ids[s.index[row]!] ?? `?${s.index[row]}`;
  }

  /** A snapshot row in the API's shape. */
  rowOf(s: DeviceSnapshot, row: number): DeviceRow {
    const site = s.site[row]!;
    const siteNode = this.d.scopes.sites[site];
    const since = s.since[row]!;
    const lastSeen = s.lastSeen[row]!;
    const rate = s.rate[row]!;
    return {
      id: this.idOf(s, row),
      site: siteNode ? `site:${siteNode.id}` : null,
      tech: TECHNOLOGIES[s.tech[row]!]!,
      class: DEVICE_CLASSES[s.cls[row]!]!,
      source:
        s.from[row] === FROM_SIMULATOR
          ? 'simulator'
          : (this.d.ingest?.sourceOf(s.index[row]!) ?? INGEST_SOURCE[0]),
      status: STATUSES[s.status[row]! - 1]!,
      since: Number.isNaN(since) ? null : since,
      lastSeen: Number.isNaN(lastSeen) ? null : lastSeen,
      rate: Number.isNaN(rate) ? null : rate,
    };
  }

  private readonly row: SnapshotRow = {
    from: 0,
    index: 0,
    generation: 0,
    site: 0,
    tech: 0,
    cls: 0,
    status: 0,
    since: 0,
    lastSeen: 0,
    rate: 0,
  };

  private addSimulated(
    builder: SnapshotBuilder,
    dev: number,
    at: number,
    cellRate: Float64Array | null,
  ): void {
    const sim = this.d.simulator!;
    const { fleet } = sim;
    const row = this.row;
    const status = sim.statusOf(dev);
    const site = fleet.site[dev]!;
    const since = sim.sinceOf(dev);
    row.from = FROM_SIMULATOR;
    row.index = dev;
    row.generation = sim.generationOf(dev);
    row.site = site;
    row.tech = fleet.tech[dev]!;
    row.cls = fleet.cls[dev]!;
    row.status = status;
    row.since = since;
    // A simulated device reports all the time it is connected.
    row.lastSeen = status === 3 ? since : at;
    row.rate = status === 3 ? 0 : (cellRate?.[cellIndex(site, row.tech, row.cls)] ?? Number.NaN);
    builder.add(row);
  }

  private addIngested(builder: SnapshotBuilder, slot: number): void {
    const table = this.d.ingest!;
    const row = this.row;
    const cell = table.cell[slot]!;
    const status = table.status[slot]!;
    row.from = FROM_INGEST;
    row.index = slot;
    row.generation = 0;
    row.site = Math.floor(cell / CELLS_PER_SITE);
    row.tech = Math.floor((cell % CELLS_PER_SITE) / CLASS_COUNT);
    row.cls = cell % CLASS_COUNT;
    row.status = status;
    row.since = table.statusTs[slot] || Number.NaN;
    row.lastSeen = table.lastHeard[slot] || Number.NaN;
    row.rate = status === 3 ? 0 : table.rate[slot]!;
    builder.add(row);
  }

  private siteName(site: number): string {
    return this.d.scopes.sites[site]?.name ?? '\uffff'; // unplaced devices sort after every site
  }

  /**
   * Mean bytes/s in + out of one connected device in each cell over the last tick. The
   * simulator makes traffic per cell, not per device, so that is all a simulated device has.
   */
  private cellRates(): Float64Array | null {
    const latest = this.d.latest();
    if (!latest) return null;
    const { traffic, counts } = latest;
    const cells = counts.devices.length;
    const out = new Float64Array(cells);
    const seconds = this.d.tickMs / 1000;
    for (let c = 0; c < cells; c++) {
      const connected = counts.online[c]! + counts.degraded[c]!;
      if (connected <= 0) continue;
      const j = c * TRAFFIC_FIELDS;
      out[c] = (traffic[j + BYTES_IN]! + traffic[j + BYTES_OUT]!) / seconds / connected;
    }
    return out;
  }
}
