import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDeviceStore } from '../../src/server/storage/sqlite-device-store.ts';

let dir: string;
let store: ReturnType<typeof openSqliteDeviceStore>;
const device = (id: string, firstSeen = 1000) => ({
  id,
  site: 'fr-lyon',
  tech: 'nb-iot' as const,
  class: 'smart-meter' as const,
  source: 'mqtt' as const,
  firstSeen,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meridian-devices-'));
  store = openSqliteDeviceStore(join(dir, 'devices.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite device store', () => {
  it('registers devices once and keeps the first registration', () => {
    store.registerDevices([device('a'), device('b')]);
    store.registerDevices([device('a', 5000)]);
    expect(store.deviceCount()).toBe(2);
    expect(store.device('a')).toMatchObject({
      id: 'a',
      site: 'fr-lyon',
      firstSeen: 1000,
      status: null,
      since: null,
    });
    expect(store.device('zzz')).toBeNull();
  });

  it('logs transitions and moves the current status, whatever order they arrive in', () => {
    store.registerDevices([device('a')]);
    store.recordTransitions([
      { device: 'a', t: 2000, status: 'offline' },
      { device: 'a', t: 3000, status: 'online' },
    ]);
    store.recordTransitions([{ device: 'a', t: 2500, status: 'degraded' }]); // late
    expect(store.device('a')).toMatchObject({ status: 'online', since: 3000 });
    expect(store.transitions('a', 0, 10_000).map((c) => [c.t, c.status])).toEqual([
      [2000, 'offline'],
      [2500, 'degraded'],
      [3000, 'online'],
    ]);
    expect(store.transitions('a', 2500, 3000).map((c) => c.t)).toEqual([2500]);
    // A retried batch is not logged twice.
    store.recordTransitions([{ device: 'a', t: 3000, status: 'online' }]);
    expect(store.transitions('a', 0, 10_000)).toHaveLength(3);
  });

  it('refuses a transition of an unregistered device, writing nothing of the batch', () => {
    store.registerDevices([device('a')]);
    expect(() =>
      store.recordTransitions([
        { device: 'a', t: 1, status: 'offline' },
        { device: 'ghost', t: 2, status: 'offline' },
      ]),
    ).toThrow(/ghost/);
    expect(store.transitions('a', 0, 10)).toEqual([]);
  });

  it('prunes old transitions in bounded steps and survives a reopen', () => {
    store.registerDevices([device('a')]);
    store.recordTransitions(
      Array.from({ length: 25 }, (_, i) => ({ device: 'a', t: i * 10, status: 'online' as const })),
    );
    expect(store.pruneTransitions(100, 4)).toBe(4);
    let total = 4;
    for (let n; (n = store.pruneTransitions(100, 4)) > 0;) total += n;
    expect(total).toBe(10);
    store.close();
    store = openSqliteDeviceStore(join(dir, 'devices.db'));
    expect(store.transitions('a', 0, 1000).map((c) => c.t)[0]).toBe(100);
    expect(store.deviceCount()).toBe(1);
  });

  it('keeps a real source’s devices with their counters across a reopen, and moves them', () => {
    store.registerDevices([{ ...device('sim-1'), source: 'simulator' }]);
    store.upsertDevices([device('a'), device('b')]);
    store.upsertDevices([{ ...device('a', 9000), site: 'fr-paris', tech: 'lte-m' }]);
    store.recordTransitions([{ device: 'a', t: 3000, status: 'degraded' }]);
    const counters = {
      boot: 'b7',
      ts: 2500,
      msgs: 12,
      bytesIn: 4096,
      bytesOut: 64,
      prevBoot: 'b6',
    };
    store.saveIngestState([
      { device: 'a', lastHeard: 2600, counters },
      { device: 'b', lastHeard: null, counters: null },
    ]);
    store.saveIngestState([{ device: 'a', lastHeard: 2700, counters: { ...counters, ts: 2650 } }]);
    expect(() =>
      store.saveIngestState([{ device: 'ghost', lastHeard: 1, counters: null }]),
    ).toThrow(/ghost/);
    store.close();
    store = openSqliteDeviceStore(join(dir, 'devices.db'));
    expect(store.ingestedDevices()).toEqual([
      {
        ...device('a'),
        site: 'fr-paris',
        tech: 'lte-m',
        status: 'degraded',
        since: 3000,
        lastHeard: 2700,
        counters: { ...counters, ts: 2650 },
      },
      { ...device('b'), status: null, since: null, lastHeard: null, counters: null },
    ]);
  });
});
