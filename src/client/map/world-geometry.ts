// Country shapes for the offline basemap: Natural Earth 1:110m via world-atlas (TopoJSON, made
// for d3-geo). MapLibre draws plain lon/lat polygons, so rings that cross ±180° are unwrapped
// into one continuous run of longitudes, and a ring around a pole is closed through the pole.
import { numericToAlpha2 } from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';

export interface CountryProperties {
  /** ISO 3166-1 alpha-2, or '' when Natural Earth gives no code that maps to one. */
  iso2: string;
  name: string;
}

// Natural Earth features without an ISO numeric id, mapped to the code people use for them.
const WITHOUT_ID: Record<string, string> = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };

/** One ring made continuous across the antimeridian (lon may leave [-180, 180]). */
export function unwrapRing(ring: readonly Position[]): Position[] {
  const out: Position[] = [];
  let shift = 0;
  let prev: number | null = null;
  for (const [lon, lat] of ring) {
    if (lon === undefined || lat === undefined) continue;
    if (prev !== null) {
      const d = lon + shift - prev;
      if (d > 180) shift -= 360;
      else if (d < -180) shift += 360;
    }
    prev = lon + shift;
    out.push([lon + shift, lat]);
  }
  const first = out[0];
  const last = out.at(-1);
  // A ring around a pole (Antarctica) ends 360° from where it began: close it over the pole.
  if (first && last && Math.abs(last[0]! - first[0]!) > 180) {
    const pole = out.reduce((s, p) => s + p[1]!, 0) < 0 ? -90 : 90;
    out.push([last[0]!, pole], [first[0]!, pole], [first[0]!, first[1]!]);
  }
  return out;
}

function unwrap(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  if (geometry.type === 'Polygon') {
    return { type: 'Polygon', coordinates: geometry.coordinates.map(unwrapRing) };
  }
  return {
    type: 'MultiPolygon',
    coordinates: geometry.coordinates.map((polygon) => polygon.map(unwrapRing)),
  };
}

export function countryCode(id: string | number | undefined, name: string): string {
  if (id !== undefined) return numericToAlpha2(id) ?? '';
  return WITHOUT_ID[name] ?? '';
}

type CountriesTopology = Topology<{ countries: GeometryCollection<{ name: string }> }>;

/** The countries of a world-atlas topology as GeoJSON with alpha-2 codes. */
export function countriesGeoJson(
  topology: CountriesTopology,
): FeatureCollection<Polygon | MultiPolygon, CountryProperties> {
  const collection = feature(topology, topology.objects.countries);
  const features: Feature<Polygon | MultiPolygon, CountryProperties>[] = [];
  collection.features.forEach((f, i) => {
    const g = f.geometry;
    if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') return;
    const name = f.properties?.name ?? '';
    features.push({
      type: 'Feature',
      id: i,
      geometry: unwrap(g),
      properties: { iso2: countryCode(f.id, name), name },
    });
  });
  return { type: 'FeatureCollection', features };
}
