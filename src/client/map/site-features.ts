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
  /**
   * Bytes in + out per second. Not drawn, so the map's source is not updated when only this
   * changes (site-diff.ts): read it from the latest figures, not from a rendered feature.
   */
  flow: number;
  /** devices / the largest site's devices in view: circle areas follow it (map-style.ts). */
  share: number;
}

/**
 * A group of crowded sites at low zoom: MapLibre sums the drawn figures of its sites. Its flow
 * is not among them: the map does not draw flow, and the tooltip sums it from the group's sites.
 */
export interface ClusterProperties {
  cluster: true;
  cluster_id: number;
  point_count: number;
  devices: number;
  online: number;
}

/** Sites in the scope tree's order: index i is the site whose `siteStart` is i. */
export function sitesInOrder(nodes: Iterable<ScopeNode>): ScopeNode[] {
  const sites: ScopeNode[] = [];
  for (const node of nodes) if (node.kind === 'site') sites[node.siteStart] = node;
  return sites;
}

/** The largest device count among the first `count` sites of the figures: circles scale to it. */
export function largestSite(figures: SiteFigures, count: number): number {
  let most = 0;
  for (let i = 0; i < count; i++) most = Math.max(most, figures.devices[i] ?? 0);
  return most;
}

/**
 * Site `i` of the figures (global site index `id`) as a GeoJSON point, or null when it is not
 * drawn: only places with devices (site:unassigned has no place at all). siteCollection is
 * made of these; the map also builds single ones for the sites a tick changed.
 */
export function siteFeature(
  node: ScopeNode | undefined,
  id: number,
  figures: SiteFigures,
  i: number,
  most: number,
): Feature<Point, SiteProperties> | null {
  const devices = figures.devices[i] ?? 0;
  if (!node || node.unplaced || devices === 0) return null;
  return {
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: [node.lon, node.lat] },
    properties: {
      scope: node.id,
      name: node.name,
      devices,
      online: figures.online[i] ?? 0,
      flow: figures.flowRate[i] ?? 0,
      share: most > 0 ? devices / most : 0,
    },
  };
}

/**
 * The tick's sites as GeoJSON points. The tick's figures start at global site index
 * `tick.sites.start`; sizes are scaled to the largest site in view so a region's map is as
 * readable as the world's. A rule for which sites are drawn belongs in siteFeature: between
 * whole collections the map sends single sites built with it (site-diff.ts).
 */
export function siteCollection(
  sites: readonly (ScopeNode | undefined)[],
  tick: Pick<TickPayload, 'sites'>,
  figures: SiteFigures,
): FeatureCollection<Point, SiteProperties> {
  const { start, count } = tick.sites;
  const most = largestSite(figures, count);
  const features: Feature<Point, SiteProperties>[] = [];
  for (let i = 0; i < count; i++) {
    const feature = siteFeature(sites[start + i], start + i, figures, i, most);
    if (feature) features.push(feature);
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
