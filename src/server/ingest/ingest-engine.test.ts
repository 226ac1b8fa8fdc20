import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../aggregate/aggregator.ts';
import { CELLS_PER_SITE, TRAFFIC_FIELDS, cellIndex } from '../aggregate/cells.ts';
import { ManualClock } from '../core/clock.ts';
import { loadSiteCatalog } from '../sites/catalog.ts';
import { ScopeIndex } from '../sites/scope-index.ts';
import type { DeviceRecord, StatusChange } from '../storage/device-store.ts';
import { IngestEngine } from './ingest-engine.ts';
import { IngestStats } from './ingest-stats.ts';

const T0 = 1_800_000_000_000;
const scopes = new ScopeIndex(loadSiteCatalog(), { unassigned: true });
const paris = scopes.siteIndex('fr-paris')!;

function setup() {
  const clock = new ManualClock(T0);
  const seconds = new Map<number, number>();
  const late = new Map<number, number>();
  const agg = new Aggregator(
    { cells: scopes.siteCount * CELLS_PER_SITE, tickMs: 1000, graceMs: 0, start: T0 },
    {
      onSecond: (s, traffic) => {
        let bytes = 0;
        for (let i = 1; i < traffic.length; i += TRAFFIC_FIELDS) bytes += traffic[i]!;
        if (bytes) seconds.set(s, bytes);
      },
      onLate: (_cell, ts, _m, bytesIn) => late.set(ts, (late.get(ts) ?? 0) + bytesIn),
    },
  );
  const registered: DeviceRecord[] = [];
  const transitions: StatusChange[] = [];
  const stats = new IngestStats(pino({ level: 'silent' }), () => clock.now());
  const engine = new IngestEngine({
    sink: agg,
    scopes,
    clock,
    stats,
    log: { register: (d) => registered.push(d), transition: (c) => transitions.push(c) },
    heartbeatMs: 60_000,
    latenessMs: 3_600_000,
  });
  const tick = (ms: number) => {
    clock.advance(ms);
    agg.closeThrough(clock.now());
  };
  const count = (cell: number) => ({
    devices: agg.counts.devices[cell],
    online: agg.counts.online[cell],
    degraded: agg.counts.degraded[cell],
  });
  return { clock, agg, engine, stats, seconds, late, registered, transitions, tick, count };
}

const meta = { tech: 'nb-iot', class: 'smart-meter' } as const;
const cellAt = (site: number) => cellIndex(site, 2, 0);

describe('IngestEngine', () => {
  it('places a device by site id or coordinates, and unplaceable ones under unassigned', () => {
    const s = setup();
    s.engine.meta('m1', { ...meta, site: 'fr-paris' }, 'mqtt');
    s.engine.meta('m2', { ...meta, lat: 48.9, lon: 2.4 }, 'http'); // Saint-Denis, by Paris
    s.engine.meta('m3', { ...meta, lat: -48, lon: -120 }, 'mqtt'); // the South Pacific
    s.engine.meta('m4', { ...meta, site: 'atlantis' }, 'mqtt');
    expect(s.count(cellAt(paris)).devices).toBe(2);
    expect(s.count(cellAt(scopes.unassignedSite!)).devices).toBe(2);
    expect(s.registered.map((d) => d.site)).toEqual(['fr-paris', 'fr-paris', null, null]);
  });

  it('counts status moves exactly and logs them with their event time', () => {
    const s = setup();
    s.engine.meta('d', { ...meta, site: 'fr-paris' }, 'mqtt');
    const cell = cellAt(paris);
    expect(s.count(cell)).toEqual({ devices: 1, online: 0, degraded: 0 });
    s.engine.status('d', { status: 'degraded', ts: T0 - 500 }, 'mqtt', 't');
    expect(s.count(cell)).toEqual({ devices: 1, online: 0, degraded: 1 });
    // An older status than the one in force changes nothing.
    expect(s.engine.status('d', { status: 'online', ts: T0 - 900 }, 'mqtt', 't')).toEqual({
      ok: true,
      duplicate: true,
    });
    s.engine.status('d', { status: 'online' }, 'mqtt', 't');
    expect(s.count(cell)).toEqual({ devices: 1, online: 1, degraded: 0 });
    expect(s.transitions.map((c) => [c.status, c.t - T0])).toEqual([
      ['degraded', -500],
      ['online', 0],
    ]);
  });

  it('spreads counter increases over the seconds between reports, late ones into the past', () => {
    const s = setup();
    s.engine.meta('d', { ...meta, site: 'fr-paris' }, 'http');
    const tele = (ts: number, bytesIn: number) =>
      s.engine.telemetry('d', { boot: 'b', ts, msgs: 0, bytesIn, bytesOut: 0 }, 'http', 'x');
    s.tick(10_000);
    tele(T0 + 2_000, 1_000); // baseline
    tele(T0 + 6_000, 5_000); // 4,000 over seconds 3..6, all closed already: late
    tele(T0 + 6_000, 5_000); // a retry
    tele(T0 + 10_500, 7_000); // 2,000 over seconds 7..10; second 10 is still open
    s.tick(1_000);
    expect([...s.late].map(([t, b]) => [(t - T0) / 1000, b])).toEqual([
      [3, 1000],
      [4, 1000],
      [5, 1000],
      [6, 1000],
      [7, 500],
      [8, 500],
      [9, 500],
    ]);
    expect(s.seconds.get(T0 + 10_000)).toBe(500);
    expect(s.stats.duplicates.http).toBe(1);
    // Heard from: the device is online.
    expect(s.count(cellAt(paris)).online).toBe(1);
  });

  it('squeezes a gap longer than the lateness window into the window, losing no traffic', () => {
    const s = setup();
    s.engine.meta('d', { ...meta, site: 'fr-paris' }, 'http');
    const tele = (ts: number, bytesIn: number) =>
      s.engine.telemetry('d', { boot: 'b', ts, msgs: 0, bytesIn, bytesOut: 0 }, 'http', 'x');
    s.tick(10_000);
    tele(T0 + 2_000, 1_000); // baseline
    // Two hours of silence (the window is one hour); the slots skip ahead, as after a stall.
    s.clock.advance(7_200_000);
    const now = s.clock.now();
    s.agg.resetTo(now);
    tele(now + 500, 3_599_000 + 1_000); // 3,599,000 bytes over the window's 3,599 whole seconds
    s.tick(1_000);
    const late = [...s.late].sort(([a], [b]) => a - b);
    // Nothing older than the window, one piece per second of it, the last still open.
    expect(late[0]![0]).toBe(now - 3_600_000 + 2_000);
    expect(late).toHaveLength(3_598);
    for (const [, b] of late) expect(b).toBeCloseTo(1_000, 6);
    expect(s.seconds.get(now)).toBeCloseTo(1_000, 6);
    expect(s.agg.tooLateCount).toBe(0);
  });

  it('drops unknown devices and times outside the window, counted by reason', () => {
    const s = setup();
    s.engine.meta('d', { ...meta, site: 'fr-paris' }, 'mqtt');
    const r1 = s.engine.telemetry(
      'ghost',
      { boot: 'b', ts: T0, msgs: 1, bytesIn: 1, bytesOut: 0 },
      'mqtt',
      'x',
    );
    const r2 = s.engine.status('d', { status: 'online', ts: T0 - 7_200_000 }, 'mqtt', 'x');
    const r3 = s.engine.status('d', { status: 'online', ts: T0 + 60_000 }, 'mqtt', 'x');
    expect([r1, r2, r3].map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'unknown_device',
      'too_late',
      'future',
    ]);
    expect(s.stats.drops()).toEqual([
      ['mqtt', 'unknown_device', 1],
      ['mqtt', 'too_late', 1],
      ['mqtt', 'future', 1],
    ]);
  });

  it('turns a silent device offline after the heartbeat timeout', () => {
    const s = setup();
    s.engine.meta('d', { ...meta, site: 'fr-paris' }, 'mqtt');
    s.engine.status('d', { status: 'online' }, 'mqtt', 't');
    s.clock.advance(59_000);
    expect(s.engine.sweep()).toBe(0);
    s.clock.advance(2_000);
    expect(s.engine.sweep()).toBe(1);
    expect(s.count(cellAt(paris))).toEqual({ devices: 1, online: 0, degraded: 0 });
    expect(s.transitions.at(-1)).toEqual({ device: 'd', t: T0 + 60_000, status: 'offline' });
  });

  it('moves a device and its status when its metadata changes', () => {
    const s = setup();
    s.engine.meta('d', { ...meta, site: 'fr-paris' }, 'mqtt');
    s.engine.status('d', { status: 'online' }, 'mqtt', 't');
    const lyon = scopes.siteIndex('fr-lyon')!;
    s.engine.meta('d', { ...meta, site: 'fr-lyon' }, 'mqtt');
    expect(s.count(cellAt(paris))).toEqual({ devices: 0, online: 0, degraded: 0 });
    expect(s.count(cellAt(lyon))).toEqual({ devices: 1, online: 1, degraded: 0 });
  });
});
