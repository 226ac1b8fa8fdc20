import type { Feature, FeatureCollection, Point } from 'geojson';
import type { TickPayload } from '../../protocol/live.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import type { SiteFigures } from '../../protocol/site-figures.ts';

export interface SiteProperties {
  /** Scope id, `site:<id>`. */
  scope: string;
  name: string;
  devices: number;
  online: number;
  /** Bytes in + out per second. */
  flow: number;
  /** devices / the largest site's devices in view: circle areas follow it (map-style.ts). */
  share: number;
}

/** A group of crowded sites at low zoom: MapLibre sums the figures of its sites. */
export interface ClusterProperties {
  cluster: true;
  cluster_id: number;
  point_count: number;
  devices: number;
  online: number;
  flow: number;
}

/** Sites in the scope tree's order: index i is the site whose `siteStart` is i. */
export function sitesInOrder(nodes: Iterable<ScopeNode>): ScopeNode[] {
  const sites: ScopeNode[] = [];
  for (const node of nodes) if (node.kind === 'site') sites[node.siteStart] = node;
  return sites;
}

/**
 * The tick's sites as GeoJSON points. The tick's figures start at global site index
 * `tick.sites.start`; sizes are scaled to the largest site in view so a region's map is as
 * readable as the world's.
 */
export function siteCollection(
  sites: readonly (ScopeNode | undefined)[],
  tick: Pick<TickPayload, 'sites'>,
  figures: SiteFigures,
): FeatureCollection<Point, SiteProperties> {
  const { start, count } = tick.sites;
  let most = 0;
  for (let i = 0; i < count; i++) most = Math.max(most, figures.devices[i] ?? 0);
  const features: Feature<Point, SiteProperties>[] = [];
  for (let i = 0; i < count; i++) {
    const node = sites[start + i];
    const devices = figures.devices[i] ?? 0;
    // Only places with devices; site:unassigned has no place at all.
    if (!node || node.unplaced || devices === 0) continue;
    const online = figures.online[i] ?? 0;
    features.push({
      type: 'Feature',
      id: start + i,
      geometry: { type: 'Point', coordinates: [node.lon, node.lat] },
      properties: {
        scope: node.id,
        name: node.name,
        devices,
        online,
        flow: figures.flowRate[i] ?? 0,
        share: most > 0 ? devices / most : 0,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** Online-share classes (colour-blind-safe, ColorBrewer RdYlBu), best first. */
export const ONLINE_CLASSES: readonly { min: number; color: string; label: string }[] = [
  { min: 0.97, color: '#74add1', label: '≥ 97 %' },
  { min: 0.94, color: '#abd9e9', label: '94–97 %' },
  { min: 0.9, color: '#fee090', label: '90–94 %' },
  { min: 0.8, color: '#fdae61', label: '80–90 %' },
  { min: 0, color: '#f46d43', label: '< 80 %' },
];
export const NO_DEVICES_COLOR = '#6b7787';
