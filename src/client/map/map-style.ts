import type {
  AllPaintProperties,
  GeoJSONSourceSpecification,
  LayerSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { NO_DEVICES_COLOR, ONLINE_CLASSES } from './site-features.ts';

export const COUNTRY_LAYERS = {
  source: 'countries',
  fill: 'country-fill',
  hover: 'country-hover',
  selected: 'country-selected',
  line: 'country-line',
} as const;
export const SITE_LAYERS = {
  source: 'sites',
  circles: 'site-circles',
  clusters: 'site-clusters',
} as const;

/** The offline basemap's colours; read from the page's theme (see map-palette.ts). */
export interface MapPalette {
  water: string;
  land: string;
  border: string;
  landHover: string;
  landSelected: string;
  /** Ring around site circles, so neighbours stay apart. */
  siteStroke: string;
  /** Ring that tells a group of sites from a single one. */
  clusterStroke: string;
}

export const DARK_PALETTE: MapPalette = {
  water: '#0a1622',
  land: '#1b2634',
  border: '#3d4f66',
  landHover: '#33475f',
  landSelected: '#2a3b52',
  siteStroke: '#06080c',
  clusterStroke: '#eef2f7',
};

/** Sites merge into groups up to this zoom; a country's own view (zoom ≥ 4) shows every site. */
export const CLUSTER_MAX_ZOOM = 3;
const CLUSTER_RADIUS_PX = 28;
const MIN_R = 2.5;
const MAX_R = 18;
/** A group's circle stops growing here, so a continent's worth of sites does not cover it. */
const MAX_CLUSTER_R = 30;

/** online / devices of a site or a group of sites; -1 when there are no devices. */
const RATIO = [
  'case',
  ['>', ['get', 'devices'], 0],
  ['/', ['get', 'online'], ['get', 'devices']],
  -1,
];

/** Online share → colour, in classes (best first in ONLINE_CLASSES). */
function onlineColor(): unknown[] {
  const asc = [...ONLINE_CLASSES].reverse();
  const stops: unknown[] = [asc[0]!.color];
  for (const c of asc.slice(1)) stops.push(c.min, c.color);
  return ['case', ['<', RATIO, 0], NO_DEVICES_COLOR, ['step', RATIO, ...stops]];
}

/** Area follows devices: `share` is devices / the largest site's devices in view. */
function radius(cap: number): unknown[] {
  const r = ['min', cap, ['+', MIN_R, ['*', MAX_R - MIN_R, ['sqrt', ['get', 'share']]]]];
  return [
    'interpolate',
    ['linear'],
    ['zoom'],
    0,
    ['*', r, 0.5],
    2,
    ['*', r, 0.8],
    5,
    r,
    8,
    ['*', r, 1.5],
  ];
}

export function siteSource(): GeoJSONSourceSpecification {
  return {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    cluster: true,
    clusterMaxZoom: CLUSTER_MAX_ZOOM,
    clusterRadius: CLUSTER_RADIUS_PX,
    // A group's figures are the sums of its sites' (flow is not drawn: see site-diff.ts).
    clusterProperties: {
      devices: ['+', ['get', 'devices']],
      online: ['+', ['get', 'online']],
      share: ['+', ['get', 'share']],
    },
  };
}

/** Countries (for hover, click and the selected scope) and sites, over any basemap. */
export function overlayLayers(palette: MapPalette, ownBasemap: boolean): LayerSpecification[] {
  const countries: LayerSpecification[] = [
    {
      id: COUNTRY_LAYERS.fill,
      type: 'fill',
      source: COUNTRY_LAYERS.source,
      // Over someone else's basemap the countries are only there to be hovered and clicked.
      paint: { 'fill-color': palette.land, 'fill-opacity': ownBasemap ? 1 : 0 },
    },
    {
      id: COUNTRY_LAYERS.selected,
      type: 'fill',
      source: COUNTRY_LAYERS.source,
      filter: ['==', ['get', 'iso2'], ''],
      paint: { 'fill-color': palette.landSelected, 'fill-opacity': ownBasemap ? 1 : 0.35 },
    },
    {
      id: COUNTRY_LAYERS.hover,
      type: 'fill',
      source: COUNTRY_LAYERS.source,
      filter: ['==', ['id'], -1],
      paint: { 'fill-color': palette.landHover, 'fill-opacity': ownBasemap ? 1 : 0.35 },
    },
  ];
  if (ownBasemap) {
    countries.push({
      id: COUNTRY_LAYERS.line,
      type: 'line',
      source: COUNTRY_LAYERS.source,
      paint: { 'line-color': palette.border, 'line-width': 0.7 },
    });
  }
  return [
    ...countries,
    {
      id: SITE_LAYERS.clusters,
      type: 'circle',
      source: SITE_LAYERS.source,
      filter: ['has', 'point_count'],
      paint: {
        'circle-radius': radius(MAX_CLUSTER_R) as never,
        'circle-color': onlineColor() as never,
        'circle-opacity': 0.85,
        'circle-stroke-color': palette.clusterStroke,
        'circle-stroke-width': 1.6,
      },
    },
    {
      id: SITE_LAYERS.circles,
      type: 'circle',
      source: SITE_LAYERS.source,
      filter: ['!', ['has', 'point_count']],
      // Big sites first, so small ones stay on top and reachable.
      layout: { 'circle-sort-key': ['-', ['get', 'devices']] },
      paint: {
        'circle-radius': radius(MAX_R) as never,
        'circle-color': onlineColor() as never,
        'circle-opacity': 0.85,
        'circle-stroke-color': palette.siteStroke,
        'circle-stroke-width': 0.8,
      },
    },
  ];
}

function overlaySources(countries: FeatureCollection): StyleSpecification['sources'] {
  return {
    [COUNTRY_LAYERS.source]: { type: 'geojson', data: countries },
    [SITE_LAYERS.source]: siteSource(),
  };
}

/**
 * The offline basemap: a background, the countries shipped with the app and the sites. No tiles,
 * no glyphs, no sprites, so the map draws without any network but our own server.
 */
export function mapStyle(countries: FeatureCollection, palette: MapPalette): StyleSpecification {
  return {
    version: 8,
    sources: overlaySources(countries),
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': palette.water } },
      ...overlayLayers(palette, true),
    ],
  };
}

/**
 * Someone's own basemap (MAP_STYLE_URL) with our countries and sites on top. A basemap layer or
 * source that uses one of our ids gives way to ours.
 */
export function withOverlay(
  basemap: StyleSpecification,
  countries: FeatureCollection,
  palette: MapPalette,
): StyleSpecification {
  const ours = overlayLayers(palette, false);
  const taken = new Set(ours.map((l) => l.id));
  return {
    ...basemap,
    sources: { ...basemap.sources, ...overlaySources(countries) },
    layers: [...basemap.layers.filter((l) => !taken.has(l.id)), ...ours],
  };
}

/** The paint properties to set when the theme changes: [layer, property, value]. */
export function paletteChanges(palette: MapPalette): [string, keyof AllPaintProperties, string][] {
  return [
    ['background', 'background-color', palette.water],
    [COUNTRY_LAYERS.fill, 'fill-color', palette.land],
    [COUNTRY_LAYERS.selected, 'fill-color', palette.landSelected],
    [COUNTRY_LAYERS.hover, 'fill-color', palette.landHover],
    [COUNTRY_LAYERS.line, 'line-color', palette.border],
    [SITE_LAYERS.circles, 'circle-stroke-color', palette.siteStroke],
    [SITE_LAYERS.clusters, 'circle-stroke-color', palette.clusterStroke],
  ];
}
