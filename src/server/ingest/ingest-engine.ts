import { DEVICE_CLASSES, STATUSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import type {
  DropReason,
  IngestRecord,
  MetaBody,
  StatusBody,
  TelemetryBody,
} from '../../protocol/ingest.ts';
import { cellIndex } from '../aggregate/cells.ts';
import type { Clock } from '../core/clock.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import type { DeviceRecord, IngestedDevice, StatusChange } from '../storage/device-store.ts';
import { countReport } from './counters.ts';
import {
  DeviceTable,
  ST_ABSENT,
  ST_DEGRADED,
  ST_OFFLINE,
  ST_ONLINE,
  type IngestSource,
} from './device-table.ts';
import type { Aggregator } from '../aggregate/aggregator.ts';
import type { IngestStats } from './ingest-stats.ts';
import { nearestSite } from './placement.ts';

/** Where ingested traffic and device counts go: the Aggregator (foldSpan spreads a report). */
export type IngestSink = Pick<Aggregator, 'foldSpan' | 'applyStatus'>;

/** Where registrations and transitions are written, in batches (see IngestJournal). */
export interface IngestLog {
  register(device: DeviceRecord): void;
  transition(change: StatusChange): void;
}

export type IngestResult =
  { ok: true; duplicate: boolean } | { ok: false; reason: DropReason; message: string };

export interface IngestEngineOptions {
  sink: IngestSink;
  scopes: ScopeIndex;
  clock: Clock;
  stats: IngestStats;
  log: IngestLog;
  /** Silence after which a device counts as offline. */
  heartbeatMs: number;
  /** Event times older than this are dropped (the aggregator's lateness). */
  latenessMs: number;
  /** Event times this far ahead of the clock are dropped. */
  futureMs?: number;
}

const STATUS_CODE: Record<StatusBody['status'], number> = {
  online: ST_ONLINE,
  degraded: ST_DEGRADED,
  offline: ST_OFFLINE,
};
const OK: IngestResult = { ok: true, duplicate: false };
const DUPLICATE: IngestResult = { ok: true, duplicate: true };

/**
 * Turns device records from real sources into the aggregator's figures: metadata places a
 * device in a cell, status moves it between online/degraded/offline, telemetry counters become
 * traffic spread over the seconds it happened in. Idempotent for redelivered records.
 */
export class IngestEngine {
  readonly devices = new DeviceTable();
  private readonly futureMs: number;

  constructor(private readonly o: IngestEngineOptions) {
    this.futureMs = o.futureMs ?? 5000;
  }

  handle(record: IngestRecord, source: IngestSource, where: string): IngestResult {
    switch (record.type) {
      case 'meta':
        return this.meta(record.device, record, source);
      case 'status':
        return this.status(record.device, record, source, where);
      case 'telemetry':
        return this.telemetry(record.device, record, source, where);
    }
  }

  meta(id: string, body: MetaBody, source: IngestSource): IngestResult {
    const now = this.o.clock.now();
    const { site, placed } = this.place(body);
    const cell = cellIndex(
      site,
      TECHNOLOGIES.indexOf(body.tech),
      DEVICE_CLASSES.indexOf(body.class),
    );
    const t = this.devices;
    let slot = t.slotOf(id);
    if (slot === undefined) {
      slot = t.add(id, cell, source);
      // Described, not yet heard from: counted, as offline, until it reports (any status
      // report, however old, is newer than this).
      this.setStatus(slot, ST_OFFLINE, 0, false);
    } else if (t.cell[slot] !== cell) {
      const status = t.status[slot]!;
      this.o.sink.applyStatus(t.cell[slot]!, status, ST_ABSENT, 1);
      this.o.sink.applyStatus(cell, ST_ABSENT, status, 1);
      t.cell[slot] = cell;
    } else {
      return this.accepted(source);
    }
    this.o.log.register({
      id,
      site: placed ? (this.o.scopes.sites[site]?.id ?? null) : null,
      tech: body.tech,
      class: body.class,
      source,
      firstSeen: now,
    });
    return this.accepted(source);
  }

  status(id: string, body: StatusBody, source: IngestSource, where: string): IngestResult {
    const now = this.o.clock.now();
    const slot = this.devices.slotOf(id);
    if (slot === undefined) return this.unknown(id, source, where, body);
    const ts = body.ts ?? now;
    const late = this.checkTime(ts, now, source, where, body);
    if (late) return late;
    this.devices.lastHeard[slot] = now;
    if (ts < this.devices.statusTs[slot]!) return this.duplicate(source);
    this.o.stats.lag(source, ts, now);
    this.setStatus(slot, STATUS_CODE[body.status], ts, true);
    return this.accepted(source);
  }

  telemetry(id: string, body: TelemetryBody, source: IngestSource, where: string): IngestResult {
    const now = this.o.clock.now();
    const t = this.devices;
    const slot = t.slotOf(id);
    if (slot === undefined) return this.unknown(id, source, where, body);
    const late = this.checkTime(body.ts, now, source, where, body);
    if (late) return late;
    const outcome = countReport(t.counters[slot]!, body);
    if (outcome.kind === 'duplicate') return this.duplicate(source);
    t.counters[slot] = outcome.state;
    t.dirty.add(slot);
    this.o.stats.lag(source, body.ts, now);
    t.lastHeard[slot] = now;
    // Heard from: an offline device is back (a degraded one stays degraded until it says so).
    if (t.status[slot] === ST_OFFLINE && body.ts >= t.statusTs[slot]!) {
      this.setStatus(slot, ST_ONLINE, body.ts, true);
    }
    if (outcome.kind === 'delta') {
      const cell = t.cell[slot]!;
      const { msgs, bytesIn, bytesOut } = outcome;
      // The device list's data rate: its traffic between its last two reports.
      t.rate[slot] = (bytesIn + bytesOut) / (Math.max(1, outcome.to - outcome.from) / 1000);
      t.recent.add(slot, outcome.from, outcome.to, bytesIn + bytesOut);
      // Traffic older than the lateness window cannot be stored: squeeze it into the window.
      const from = Math.max(outcome.from, now - this.o.latenessMs + 1000);
      this.o.sink.foldSpan(cell, from, outcome.to, msgs, bytesIn, bytesOut, now);
    }
    return this.accepted(source);
  }

  /** Marks devices silent for longer than the heartbeat timeout offline. */
  sweep(): number {
    const now = this.o.clock.now();
    const t = this.devices;
    const limit = now - this.o.heartbeatMs;
    let n = 0;
    for (let slot = 0; slot < t.size; slot++) {
      const heard = t.lastHeard[slot]!;
      if (heard === 0 || heard > limit) continue;
      const status = t.status[slot]!;
      if (status === ST_OFFLINE || status === ST_ABSENT) continue;
      this.setStatus(
        slot,
        ST_OFFLINE,
        Math.max(heard + this.o.heartbeatMs, t.statusTs[slot]!),
        true,
      );
      n++;
    }
    return n;
  }

  /** Puts back a device known from before a restart (registry, status and counters). */
  restore(d: IngestedDevice): void {
    const t = this.devices;
    if (t.slotOf(d.id) !== undefined || d.source === 'simulator') return;
    const site = d.site === null ? undefined : this.o.scopes.siteIndex(d.site);
    const cell = cellIndex(
      site ?? this.unassigned(),
      TECHNOLOGIES.indexOf(d.tech),
      DEVICE_CLASSES.indexOf(d.class),
    );
    const slot = t.add(d.id, cell, d.source);
    t.counters[slot] = d.counters;
    t.lastHeard[slot] = d.lastHeard ?? 0;
    const status = d.status === null || d.status === 'absent' ? 'offline' : d.status;
    this.setStatus(slot, STATUS_CODE[status], d.since ?? 0, false);
  }

  private setStatus(slot: number, to: number, ts: number, log: boolean): void {
    const t = this.devices;
    const from = t.status[slot]!;
    t.statusTs[slot] = ts;
    t.dirty.add(slot);
    if (from === to) return;
    this.o.sink.applyStatus(t.cell[slot]!, from, to, 1);
    t.status[slot] = to;
    if (log) {
      this.o.log.transition({ device: t.ids[slot]!, t: ts, status: STATUSES[to - 1]! });
    }
  }

  private place(body: MetaBody): { site: number; placed: boolean } {
    const scopes = this.o.scopes;
    let site: number | undefined;
    if (body.site !== undefined) {
      site = scopes.siteIndex(body.site.replace(/^site:/, ''));
      if (site === scopes.unassignedSite) site = undefined;
    }
    if (site === undefined && body.lat !== undefined && body.lon !== undefined) {
      const near = nearestSite(scopes.sites, body.lat, body.lon);
      if (near >= 0) site = near;
    }
    return site === undefined ? { site: this.unassigned(), placed: false } : { site, placed: true };
  }

  private unassigned(): number {
    const u = this.o.scopes.unassignedSite;
    if (u === null) throw new Error('ingest needs a scope index built with an unassigned site');
    return u;
  }

  private checkTime(
    ts: number,
    now: number,
    source: IngestSource,
    where: string,
    sample: unknown,
  ): IngestResult | null {
    if (ts < now - this.o.latenessMs) {
      return this.drop(
        source,
        'too_late',
        where,
        `event time ${new Date(ts).toISOString()} is older than the lateness window`,
        sample,
      );
    }
    if (ts > now + this.futureMs) {
      return this.drop(
        source,
        'future',
        where,
        `event time ${new Date(ts).toISOString()} is ahead of the server clock`,
        sample,
      );
    }
    return null;
  }

  private unknown(id: string, source: IngestSource, where: string, sample: unknown): IngestResult {
    return this.drop(
      source,
      'unknown_device',
      where,
      `device ${id} has not sent its metadata`,
      sample,
    );
  }

  drop(
    source: IngestSource,
    reason: DropReason,
    where: string,
    message: string,
    sample?: unknown,
  ): IngestResult {
    this.o.stats.drop(source, reason, where, message, sample);
    return { ok: false, reason, message };
  }

  private accepted(source: IngestSource): IngestResult {
    this.o.stats.accept(source);
    return OK;
  }

  private duplicate(source: IngestSource): IngestResult {
    this.o.stats.accept(source);
    this.o.stats.duplicate(source);
    return DUPLICATE;
  }
}
