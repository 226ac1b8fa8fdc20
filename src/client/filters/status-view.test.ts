import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../protocol/api.ts';
import type { TickPayload } from '../../protocol/live.ts';
import {
  allocSiteFigures,
  decodeSiteFigures,
  encodeSiteFigures,
} from '../../protocol/site-figures.ts';
import { restrictHistory, restrictKpis, restrictTick, statusSelection } from './status-view.ts';

const kpis = {
  devices: 100,
  online: 80,
  degraded: 15,
  offline: 5,
  msgRate: 40,
  bytesInRate: 4000,
  bytesOutRate: 1000,
};

describe('statusSelection', () => {
  it('keeps every device with no status, or all three', () => {
    expect(statusSelection([])).toBeNull();
    expect(statusSelection(['offline', 'online', 'degraded'])).toBeNull();
  });
});

describe('restrictKpis', () => {
  it('counts only the kept statuses, with traffic only where it is known', () => {
    expect(restrictKpis(kpis, statusSelection(['offline'])!)).toEqual({
      devices: 5,
      online: 0,
      degraded: 0,
      offline: 5,
      // Offline devices send nothing.
      msgRate: 0,
      bytesInRate: 0,
      bytesOutRate: 0,
    });
    // Connected devices carry all the traffic there is.
    expect(restrictKpis(kpis, statusSelection(['online', 'degraded'])!)).toMatchObject({
      devices: 95,
      offline: 0,
      bytesInRate: 4000,
      msgRate: 40,
    });
    // Online alone: counts exact, traffic not split between online and degraded.
    const online = restrictKpis(kpis, statusSelection(['online'])!);
    expect(online).toMatchObject({ devices: 80, online: 80, degraded: 0, offline: 0 });
    expect(online.bytesInRate).toBeNaN();
    expect(online.msgRate).toBeNaN();
  });
});

describe('restrictTick', () => {
  it('restricts the KPIs, the breakdowns and every site, keeping counts that add up', () => {
    const f = allocSiteFigures(2);
    f.devices.set([10, 4]);
    f.degraded.set([2, 0]);
    f.offline.set([3, 4]);
    f.flowRate.set([500, 0]);
    const tick: TickPayload = {
      seq: 1,
      ts: 1000,
      tickMs: 1000,
      scope: 'global',
      filter: null,
      kpis,
      breakdown: { tech: { wifi: kpis }, class: {} },
      sites: { start: 0, count: 2, data: encodeSiteFigures(f, 2) },
      simulated: true,
    };
    const s = statusSelection(['offline', 'degraded'])!;
    const out = restrictTick(tick, s);
    expect(out.kpis.devices).toBe(20);
    expect(out.breakdown.tech.wifi!.devices).toBe(20);
    const sites = decodeSiteFigures(out.sites.data, 2);
    expect([...sites.devices]).toEqual([5, 4]);
    expect([...sites.online]).toEqual([0, 0]);
    expect([...sites.offline]).toEqual([3, 4]);
    expect(Number.isNaN(sites.flowRate[0])).toBe(true);
    // The tick as received is left alone.
    expect(decodeSiteFigures(tick.sites.data, 2).devices[0]).toBe(10);
  });
});

describe('restrictHistory', () => {
  const h: HistoryResponse = {
    scope: 'global',
    from: 0,
    to: 2000,
    stepMs: 1000,
    tier: 'sec',
    filter: null,
    kept: true,
    t: [0, 1000],
    series: {
      devices: [100, null],
      online: [80, null],
      degraded: [15, null],
      bytesInRate: [4000, null],
    },
    min: { devices: [100, null] },
    max: { devices: [100, null] },
    completeness: [1, 0],
  };

  it('derives offline, sums the kept counts and drops bucket extremes', () => {
    const out = restrictHistory(h, statusSelection(['offline'])!);
    expect(out.series).toEqual({
      devices: [5, null],
      online: [0, null],
      degraded: [0, null],
      bytesInRate: [0, null],
    });
    expect(out.min).toBeUndefined();
    expect(out.max).toBeUndefined();
    expect(out.completeness).toEqual([1, 0]);
  });

  it('has no traffic line for online devices alone', () => {
    const out = restrictHistory(h, statusSelection(['online'])!);
    expect(out.series.devices).toEqual([80, null]);
    expect(out.series.bytesInRate).toEqual([null, null]);
  });
});
