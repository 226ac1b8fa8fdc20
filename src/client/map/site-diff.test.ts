import { describe, expect, it } from 'vitest';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { allocSiteFigures, type SiteFigures } from '../../protocol/site-figures.ts';
import { isEmptyDiff, sentSites, siteDiff } from './site-diff.ts';
import { sitesInOrder } from './site-features.ts';

const N = 10;
const site = (i: number): ScopeNode => ({
  id: `site:s${i}`,
  kind: 'site',
  name: `S${i}`,
  parent: 'country:AA',
  lat: 10,
  lon: i,
  bbox: [i, 10, i, 10],
  siteStart: i,
  siteCount: 1,
});
const sites = sitesInOrder(Array.from({ length: N }, (_, i) => site(i)));
const tick = { sites: { start: 0, count: N, data: new Uint8Array() } };

/** Ten sites of 100 devices, 90 online, 1 kB/s; `change` edits a copy. */
function figures(change: (f: SiteFigures) => void = () => {}): SiteFigures {
  const f = allocSiteFigures(N);
  f.devices.fill(100);
  f.online.fill(90);
  f.offline.fill(10);
  f.flowRate.fill(1000);
  change(f);
  return f;
}

describe('siteDiff', () => {
  it('sends nothing when only the flow changed, which the map does not draw', () => {
    const sent = sentSites(sites, tick, figures());
    const diff = siteDiff(
      sent,
      sites,
      tick,
      figures((f) => f.flowRate.fill(5)),
    );
    expect(diff).not.toBeNull();
    expect(isEmptyDiff(diff!)).toBe(true);
  });

  it('sends only the changed properties of the sites that changed', () => {
    const sent = sentSites(sites, tick, figures());
    const next = figures((f) => {
      f.online[3] = 80;
      f.offline[3] = 20;
      f.flowRate[3] = 7;
    });
    expect(siteDiff(sent, sites, tick, next)).toEqual({
      update: [{ id: 3, addOrUpdateProperties: [{ key: 'online', value: 80 }] }],
    });
    // Offline and degraded trade places: online is the same, nothing drawn changed.
    const traded = figures((f) => {
      f.offline[4] = 9;
      f.degraded[4] = 1;
    });
    expect(isEmptyDiff(siteDiff(sent, sites, tick, traded)!)).toBe(true);
  });

  it('adds a site that gets devices and removes one that has none left', () => {
    const sent = sentSites(
      sites,
      tick,
      figures((f) => (f.devices[2] = 0)),
    );
    const diff = siteDiff(
      sent,
      sites,
      tick,
      figures((f) => (f.devices[7] = 0)),
    )!;
    expect(diff.remove).toEqual([7]);
    expect(diff.add?.map((f) => [f.id, f.properties?.devices])).toEqual([[2, 100]]);
    expect(diff.update).toBeUndefined();
  });

  it('asks for a replacement for other sites, a new largest site, or most sites changed', () => {
    const sent = sentSites(sites, tick, figures());
    // Every circle is scaled to the largest site.
    expect(
      siteDiff(
        sent,
        sites,
        tick,
        figures((f) => (f.devices[0] = 200)),
      ),
    ).toBeNull();
    expect(
      siteDiff(
        sent,
        sites,
        tick,
        figures((f) => f.online.fill(50)),
      ),
    ).toBeNull();
    const region = { sites: { start: 2, count: 5, data: new Uint8Array() } };
    expect(siteDiff(sent, sites, region, figures())).toBeNull();
  });
});
