import { describe, expect, it } from 'vitest';
import type { PlacesResponse } from '../../protocol/places.ts';
import { periodSites } from './period-sites.ts';

const figures = (devices: number, online: number) => ({
  devices,
  online,
  degraded: 0.5,
  offline: devices - online - 0.5,
  msgRate: 1,
  bytesInRate: 300,
  bytesOutRate: 100,
  coverage: 1,
});

describe('periodSites', () => {
  it('gives the map the period’s means per site, and nothing where history has none', () => {
    const res: PlacesResponse = {
      scope: 'country:FR',
      from: 0,
      to: 1,
      stepMs: 1,
      tier: 'hour',
      sites: { start: 40, count: 3, figures: [figures(12.5, 10), null, figures(3, 3)] },
      children: {},
      breakdown: null,
    };
    const p = periodSites(res)!;
    expect(p.sites).toEqual({ start: 40, count: 3 });
    expect([...p.figures.devices]).toEqual([12.5, 0, 3]);
    expect([...p.figures.online]).toEqual([10, 0, 3]);
    expect([...p.figures.flowRate]).toEqual([400, 0, 400]);
    expect(periodSites({ ...res, sites: null })).toBeNull();
  });
});
