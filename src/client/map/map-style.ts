import type { StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { NO_DEVICES_COLOR, ONLINE_CLASSES } from './site-features.ts';

export const COUNTRY_LAYERS = {
  source: 'countries',
  fill: 'country-fill',
  hover: 'country-hover',
  selected: 'country-selected',
  line: 'country-line',
} as const;
export const SITE_LAYERS = { source: 'sites', circles: 'site-circles' } as const;

export const MAP_BACKGROUND = '#0a1622';

/** Online share → colour, in classes (best first in ONLINE_CLASSES). */
function onlineColor(): unknown[] {
  const asc = [...ONLINE_CLASSES].reverse();
  const stops: unknown[] = [asc[0]!.color];
  for (const c of asc.slice(1)) stops.push(c.min, c.color);
  return [
    'case',
    ['<', ['get', 'ratio'], 0],
    NO_DEVICES_COLOR,
    ['step', ['get', 'ratio'], ...stops],
  ];
}

/**
 * An offline basemap: a background, the countries shipped with the app and the sites. No tiles,
 * no glyphs, no sprites, so the map draws without any network but our own server.
 */
export function mapStyle(countries: FeatureCollection): StyleSpecification {
  return {
    version: 8,
    sources: {
      [COUNTRY_LAYERS.source]: { type: 'geojson', data: countries },
      [SITE_LAYERS.source]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': MAP_BACKGROUND } },
      {
        id: COUNTRY_LAYERS.fill,
        type: 'fill',
        source: COUNTRY_LAYERS.source,
        paint: { 'fill-color': '#1b2634' },
      },
      {
        id: COUNTRY_LAYERS.selected,
        type: 'fill',
        source: COUNTRY_LAYERS.source,
        filter: ['==', ['get', 'iso2'], ''],
        paint: { 'fill-color': '#2a3b52' },
      },
      {
        id: COUNTRY_LAYERS.hover,
        type: 'fill',
        source: COUNTRY_LAYERS.source,
        filter: ['==', ['id'], -1],
        paint: { 'fill-color': '#33475f' },
      },
      {
        id: COUNTRY_LAYERS.line,
        type: 'line',
        source: COUNTRY_LAYERS.source,
        paint: { 'line-color': '#3d4f66', 'line-width': 0.7 },
      },
      {
        id: SITE_LAYERS.circles,
        type: 'circle',
        source: SITE_LAYERS.source,
        // Big sites first, so small ones stay on top and reachable.
        layout: { 'circle-sort-key': ['-', ['get', 'devices']] },
        paint: {
          'circle-radius': [
            'interpolate',
            ['linear'],
            ['zoom'],
            0,
            ['*', ['get', 'r'], 0.5],
            2,
            ['*', ['get', 'r'], 0.8],
            5,
            ['get', 'r'],
            8,
            ['*', ['get', 'r'], 1.5],
          ],
          'circle-color': onlineColor() as never,
          'circle-opacity': 0.85,
          'circle-stroke-color': '#06080c',
          'circle-stroke-width': 0.8,
        },
      },
    ],
  };
}
