import { REGIONS, REGION_NAMES } from '../../protocol/dimensions.ts';
import { parseScopeId, type ScopeNode } from '../../protocol/scopes.ts';
import type { Site, SiteCatalog } from './catalog.ts';

/**
 * The scope tree over the site catalog. Sites are ordered so that every scope's sites form one
 * contiguous range, which lets aggregation and tick encoding work on index ranges.
 */
export interface ScopeIndexOptions {
  /**
   * Add `site:unassigned` (under global, after every real site) for devices of real sources
   * that cannot be placed at a site. The simulator places all its devices, so it needs none.
   */
  unassigned?: boolean;
}

export const UNASSIGNED_SITE_ID = 'unassigned';

export class ScopeIndex {
  /** The real sites, in the tree's order. */
  readonly sites: readonly Site[];
  /** Site indexes cells are kept for: the real sites, then the unassigned one if any. */
  readonly siteCount: number;
  /** Index of `site:unassigned`, or null when there is none. */
  readonly unassignedSite: number | null;
  readonly nodes: readonly ScopeNode[];
  private readonly byId = new Map<string, ScopeNode>();
  private readonly siteIndexById = new Map<string, number>();
  /** Region index (in REGIONS order) of each site. */
  readonly siteRegion: Uint8Array;

  constructor(catalog: SiteCatalog, options: ScopeIndexOptions = {}) {
    this.sites = catalog.sites;
    this.unassignedSite = options.unassigned ? this.sites.length : null;
    this.siteCount = this.sites.length + (options.unassigned ? 1 : 0);
    this.siteRegion = new Uint8Array(this.sites.length);
    const nodes: ScopeNode[] = [];
    nodes.push({
      ...this.node('global', 'global', 'World', null, 0, this.sites.length),
      siteCount: this.siteCount,
    });
    let i = 0;
    for (const region of REGIONS) {
      const regionStart = i;
      const regionNodeAt = nodes.length;
      nodes.push(this.node(`region:${region}`, 'region', REGION_NAMES[region], 'global', i, 0));
      while (i < this.sites.length && this.sites[i]!.region === region) {
        const country = this.sites[i]!.country;
        const countryStart = i;
        const countryNodeAt = nodes.length;
        const countryId = `country:${country}`;
        nodes.push(
          this.node(
            countryId,
            'country',
            catalog.countryNames[country] ?? country,
            `region:${region}`,
            i,
            0,
          ),
        );
        while (i < this.sites.length && this.sites[i]!.country === country) {
          const s = this.sites[i]!;
          this.siteRegion[i] = REGIONS.indexOf(region);
          this.siteIndexById.set(s.id, i);
          nodes.push({
            ...this.node(`site:${s.id}`, 'site', s.name, countryId, i, 1),
            timeZone: s.timeZone,
            population: s.population,
            country: s.country,
          });
          i++;
        }
        nodes[countryNodeAt] = this.node(
          countryId,
          'country',
          nodes[countryNodeAt]!.name,
          `region:${region}`,
          countryStart,
          i - countryStart,
        );
      }
      nodes[regionNodeAt] = this.node(
        `region:${region}`,
        'region',
        REGION_NAMES[region],
        'global',
        regionStart,
        i - regionStart,
      );
    }
    if (i !== this.sites.length) {
      throw new Error(`site catalog is not ordered by region and country (stopped at ${i})`);
    }
    if (this.unassignedSite !== null) {
      this.siteIndexById.set(UNASSIGNED_SITE_ID, this.unassignedSite);
      nodes.push({
        id: `site:${UNASSIGNED_SITE_ID}`,
        kind: 'site',
        name: 'Unassigned',
        parent: 'global',
        lat: 0,
        lon: 0,
        bbox: [-180, -90, 180, 90],
        siteStart: this.unassignedSite,
        siteCount: 1,
        unplaced: true,
      });
    }
    for (const n of nodes) {
      if (this.byId.has(n.id)) throw new Error(`duplicate scope ${n.id}`);
      this.byId.set(n.id, n);
    }
    this.nodes = nodes;
  }

  private node(
    id: string,
    kind: ScopeNode['kind'],
    name: string,
    parent: string | null,
    siteStart: number,
    siteCount: number,
  ): ScopeNode {
    let w = 180,
      s = 90,
      e = -180,
      n = -90,
      wsum = 0,
      lat = 0,
      lon = 0;
    for (let k = siteStart; k < siteStart + siteCount; k++) {
      const site = this.sites[k]!;
      w = Math.min(w, site.lon);
      e = Math.max(e, site.lon);
      s = Math.min(s, site.lat);
      n = Math.max(n, site.lat);
      wsum += site.population;
      lat += site.lat * site.population;
      lon += site.lon * site.population;
    }
    const centre = kind === 'global' || wsum === 0 ? [20, 0] : [lat / wsum, lon / wsum];
    return {
      id,
      kind,
      name,
      parent,
      lat: Math.round(centre[0]! * 1e4) / 1e4,
      lon: Math.round(centre[1]! * 1e4) / 1e4,
      bbox: siteCount > 0 ? [w, s, e, n] : [-180, -90, 180, 90],
      siteStart,
      siteCount,
    };
  }

  /** The node for a scope id (country codes in any case), or null if there is no such scope. */
  resolve(raw: string): ScopeNode | null {
    const parsed = parseScopeId(raw);
    return parsed ? (this.byId.get(parsed.id) ?? null) : null;
  }

  siteIndex(siteId: string): number | undefined {
    return this.siteIndexById.get(siteId);
  }

  /** Whether `inner` lies within `outer` (or is the same scope). */
  contains(outer: ScopeNode, inner: ScopeNode): boolean {
    return (
      inner.siteStart >= outer.siteStart &&
      inner.siteStart + inner.siteCount <= outer.siteStart + outer.siteCount
    );
  }
}
