import { describe, expect, it } from 'vitest';
import { REGIONS } from '../../protocol/dimensions.ts';
import { loadSiteCatalog } from './catalog.ts';
import { ScopeIndex } from './scope-index.ts';

const catalog = loadSiteCatalog();
const scopes = new ScopeIndex(catalog);

describe('shipped site list', () => {
  it('has at least 2,000 real cities on every inhabited continent', () => {
    expect(catalog.sites.length).toBeGreaterThanOrEqual(2000);
    for (const r of REGIONS) {
      expect(catalog.sites.filter((s) => s.region === r).length, r).toBeGreaterThanOrEqual(30);
    }
    const names = new Set(catalog.sites.map((s) => s.name));
    for (const city of ['Tokyo', 'Lagos', 'São Paulo', 'Paris', 'Sydney', 'Chicago', 'Mumbai']) {
      expect(names.has(city), city).toBe(true);
    }
  });

  it('gives every site a valid IANA zone, a known country, coordinates and a population', () => {
    const ids = new Set<string>();
    for (const s of catalog.sites) {
      expect(
        () => new Intl.DateTimeFormat('en', { timeZone: s.timeZone }),
        s.timeZone,
      ).not.toThrow();
      expect(s.country).toMatch(/^[A-Z]{2}$/);
      expect(catalog.countryNames[s.country], s.country).toBeTruthy();
      expect(Math.abs(s.lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(s.lon)).toBeLessThanOrEqual(180);
      expect(s.population).toBeGreaterThan(0);
      expect(s.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(ids.has(s.id), s.id).toBe(false);
      ids.add(s.id);
    }
  });

  it('puts zones where the cities are', () => {
    const zone = (id: string) => catalog.sites[scopes.siteIndex(id)!]!.timeZone;
    expect(zone('fr-lyon')).toBe('Europe/Paris');
    expect(zone('jp-tokyo')).toBe('Asia/Tokyo');
    expect(zone('us-chicago')).toBe('America/Chicago');
    expect(zone('au-sydney')).toBe('Australia/Sydney');
  });
});

describe('ScopeIndex', () => {
  it('resolves every scope kind and rejects unknown ones', () => {
    expect(scopes.resolve('global')?.siteCount).toBe(catalog.sites.length);
    expect(scopes.resolve('region:europe')?.name).toBe('Europe');
    expect(scopes.resolve('country:fr')?.id).toBe('country:FR');
    expect(scopes.resolve('site:fr-lyon')?.parent).toBe('country:FR');
    for (const bad of [
      '',
      'region:atlantis',
      'country:ZZ',
      'country:FRA',
      'site:nowhere',
      'planet:earth',
      'global:x',
    ]) {
      expect(scopes.resolve(bad), bad).toBeNull();
    }
  });

  it('gives each region and country a contiguous range of its own sites', () => {
    for (const node of scopes.nodes) {
      for (let i = node.siteStart; i < node.siteStart + node.siteCount; i++) {
        const s = catalog.sites[i]!;
        if (node.kind === 'region') expect(`region:${s.region}`).toBe(node.id);
        if (node.kind === 'country') expect(`country:${s.country}`).toBe(node.id);
      }
    }
    const regionTotal = scopes.nodes
      .filter((n) => n.kind === 'region')
      .reduce((a, n) => a + n.siteCount, 0);
    expect(regionTotal).toBe(catalog.sites.length);
  });
});
