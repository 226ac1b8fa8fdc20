import { TECHNOLOGIES } from '../../protocol/dimensions.ts';
import { describe, expect, it } from 'vitest';
import { decodeSiteFigures } from '../../protocol/site-figures.ts';
import { allocCounts, cellIndex, TRAFFIC_FIELDS } from '../aggregate/cells.ts';
import { loadSiteCatalog } from '../sites/catalog.ts';
import { ScopeIndex } from '../sites/scope-index.ts';
import { buildTick } from './rollup.ts';
import { viewSpec } from './view-spec.ts';

const scopes = new ScopeIndex(loadSiteCatalog());
const cells = scopes.sites.length * 64;

function world() {
  const counts = allocCounts(cells);
  const traffic = new Float64Array(cells * TRAFFIC_FIELDS);
  const lyon = scopes.siteIndex('fr-lyon')!;
  const paris = scopes.siteIndex('fr-paris')!;
  const put = (
    site: number,
    tech: number,
    cls: number,
    devices: number,
    online: number,
    degraded: number,
    msgs: number,
  ) => {
    const c = cellIndex(site, tech, cls);
    counts.devices[c] = devices;
    counts.online[c] = online;
    counts.degraded[c] = degraded;
    traffic[c * TRAFFIC_FIELDS] = msgs;
    traffic[c * TRAFFIC_FIELDS + 1] = msgs * 100;
    traffic[c * TRAFFIC_FIELDS + 2] = msgs * 10;
  };
  put(lyon, 2, 0, 10, 7, 2, 40); // nb-iot smart-meters
  put(lyon, 0, 2, 5, 5, 0, 25); // 4g vehicles
  put(paris, 2, 0, 8, 6, 1, 16);
  return { counts, traffic, lyon, paris };
}

describe('buildTick', () => {
  it('sums cells into kpis, breakdowns and sites, with rates per second at 250 ms ticks', () => {
    const { counts, traffic, lyon } = world();
    const france = scopes.resolve('country:FR')!;
    const tick = buildTick(viewSpec(france, undefined), counts, traffic, 1_000_250, 250, true);
    expect(tick.seq).toBe(4001);
    expect(tick.kpis).toEqual({
      devices: 23,
      online: 18,
      degraded: 3,
      offline: 2,
      msgRate: 81 * 4,
      bytesInRate: 8100 * 4,
      bytesOutRate: 810 * 4,
    });
    expect(tick.breakdown.tech['nb-iot']).toMatchObject({ devices: 18, msgRate: 56 * 4 });
    expect(tick.breakdown.class.vehicle).toMatchObject({ devices: 5, offline: 0 });
    const sites = decodeSiteFigures(tick.sites.data, tick.sites.count);
    const at = lyon - france.siteStart;
    expect([sites.devices[at], sites.online[at], sites.degraded[at], sites.offline[at]]).toEqual([
      15, 12, 2, 1,
    ]);
    expect(sites.flowRate[at]).toBeCloseTo(65 * 110 * 4, 0);
  });

  it('a filter keeps only the matching cells', () => {
    const { counts, traffic } = world();
    const france = scopes.resolve('country:FR')!;
    const spec = viewSpec(france, { tech: ['nb-iot'], class: ['smart-meter', 'camera'] });
    const tick = buildTick(spec, counts, traffic, 1000, 1000, false);
    expect(tick.kpis).toMatchObject({
      devices: 18,
      online: 13,
      degraded: 3,
      offline: 2,
      msgRate: 56,
    });
    expect(Object.keys(tick.breakdown.class)).toEqual(['smart-meter', 'camera']);
    expect(tick.breakdown.class.camera).toMatchObject({ devices: 0 });
    expect(tick.filter).toEqual({ tech: ['nb-iot'], class: ['smart-meter', 'camera'] });
  });

  it('a filter naming every technology is the unfiltered view', () => {
    const all = viewSpec(scopes.resolve('global')!, {
      tech: [...TECHNOLOGIES],
    });
    expect(all.filter).toBeNull();
    expect(all.key).toBe(viewSpec(scopes.resolve('global')!, undefined).key);
  });
});
