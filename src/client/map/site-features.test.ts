import { describe, expect, it } from 'vitest';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { allocSiteFigures } from '../../protocol/site-figures.ts';
import { siteCollection, sitesInOrder } from './site-features.ts';
import { countryCode, unwrapRing } from './world-geometry.ts';

const site = (i: number, lon: number): ScopeNode => ({
  id: `site:s${i}`,
  kind: 'site',
  name: `S${i}`,
  parent: 'country:AA',
  lat: 10,
  lon,
  bbox: [lon, 10, lon, 10],
  siteStart: i,
  siteCount: 1,
});

describe('site features', () => {
  it('places the tick’s figures on the sites they start at', () => {
    const sites = sitesInOrder([site(0, 0), site(1, 1), site(2, 2), site(3, 3)]);
    const f = allocSiteFigures(2);
    f.devices.set([100, 25]);
    f.online.set([90, 0]);
    f.flowRate.set([1000, 5]);
    const fc = siteCollection(sites, { sites: { start: 2, count: 2, data: new Uint8Array() } }, f);
    expect(fc.features.map((x) => x.properties.scope)).toEqual(['site:s2', 'site:s3']);
    expect(fc.features[0]!.properties).toMatchObject({ devices: 100, online: 90, flow: 1000 });
    expect(fc.features.map((x) => x.properties.share)).toEqual([1, 0.25]);
    expect(fc.features[1]!.geometry.coordinates).toEqual([3, 10]);
  });

  it('draws only places with devices, never the unassigned site', () => {
    const unassigned: ScopeNode = { ...site(2, 0), id: 'site:unassigned', unplaced: true };
    const sites = sitesInOrder([site(0, 0), site(1, 1), unassigned]);
    const f = allocSiteFigures(3);
    f.devices.set([0, 4, 9]);
    f.online.set([0, 4, 9]);
    const fc = siteCollection(sites, { sites: { start: 0, count: 3, data: new Uint8Array() } }, f);
    expect(fc.features.map((x) => x.properties.scope)).toEqual(['site:s1']);
  });
});

describe('world geometry', () => {
  it('unwraps a ring across the antimeridian', () => {
    const ring = unwrapRing([
      [178, -17],
      [-179, -17],
      [-179, -18],
      [178, -18],
      [178, -17],
    ]);
    expect(ring.map((p) => p[0])).toEqual([178, 181, 181, 178, 178]);
  });

  it('closes a ring around the south pole through the pole', () => {
    const ring = unwrapRing([
      [-180, -80],
      [-60, -75],
      [60, -70],
      [180, -80],
    ]);
    expect(ring.at(-1)).toEqual([-180, -80]);
    expect(ring.slice(-3, -1)).toEqual([
      [180, -90],
      [-180, -90],
    ]);
  });

  it('maps Natural Earth ids to alpha-2, and features without one by name', () => {
    expect(countryCode('250', 'France')).toBe('FR');
    expect(countryCode('036', 'Australia')).toBe('AU');
    expect(countryCode(undefined, 'Kosovo')).toBe('XK');
    expect(countryCode(undefined, 'Nowhere')).toBe('');
  });
});
