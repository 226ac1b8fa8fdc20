import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { CountryProperties } from './world-geometry.ts';

type Ring = readonly Position[];

export interface LocatorShape {
  key: string;
  /** The site's own country. */
  home: boolean;
  /** Rings with longitudes moved by a whole turn where that brings them next to the site. */
  rings: Ring[];
}

export interface LocatorView {
  /** Screen x, y of a longitude and latitude. */
  project: (lon: number, lat: number) => [number, number];
  shapes: LocatorShape[];
  /** Degrees of longitude either side of the site. */
  halfSpanLon: number;
}

interface Box {
  w: number;
  s: number;
  e: number;
  n: number;
}

function boxOf(rings: readonly Ring[], shift: number): Box {
  const b = { w: Infinity, s: Infinity, e: -Infinity, n: -Infinity };
  for (const ring of rings) {
    for (const [lon = 0, lat = 0] of ring) {
      b.w = Math.min(b.w, lon + shift);
      b.e = Math.max(b.e, lon + shift);
      b.s = Math.min(b.s, lat);
      b.n = Math.max(b.n, lat);
    }
  }
  return b;
}

/** The whole turn (−360, 0, 360) that puts a box's middle nearest to `lon`. */
function nearestShift(rings: readonly Ring[], lon: number): number {
  const b = boxOf(rings, 0);
  const mid = (b.w + b.e) / 2;
  return Math.round((lon - mid) / 360) * 360;
}

function polygonsOf(f: Feature<Polygon | MultiPolygon, CountryProperties>): Ring[][] {
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

const MIN_HALF_SPAN = 3;
const MAX_HALF_SPAN = 22;

/**
 * What a small map around one site shows: centred on the site, wide enough for the part of its
 * country it stands in (not the whole of a country with far-away islands), between 3° and 22°
 * of longitude either side, in an equirectangular projection true to scale at the site.
 */
export function locatorView(
  features: readonly Feature<Polygon | MultiPolygon, CountryProperties>[],
  at: { lon: number; lat: number; country: string; width: number; height: number },
): LocatorView {
  const { lon, lat, width, height } = at;
  const cos = Math.max(0.2, Math.cos((lat * Math.PI) / 180));
  // The home polygon nearest the site sets the span.
  let reach = MIN_HALF_SPAN;
  let nearest = Infinity;
  for (const f of features) {
    if (!at.country || f.properties.iso2 !== at.country) continue;
    for (const polygon of polygonsOf(f)) {
      const b = boxOf(polygon, nearestShift(polygon, lon));
      const dx = Math.max(b.w - lon, 0, lon - b.e);
      const dy = Math.max(b.s - lat, 0, lat - b.n);
      const d = Math.hypot(dx, dy);
      if (d >= nearest) continue;
      nearest = d;
      reach = Math.max(
        Math.abs(lon - b.w),
        Math.abs(b.e - lon),
        (Math.max(Math.abs(lat - b.s), Math.abs(b.n - lat)) * width) / height / cos,
      );
    }
  }
  const halfSpanLon = Math.min(MAX_HALF_SPAN, Math.max(MIN_HALF_SPAN, reach * 1.15));
  const scale = width / 2 / (halfSpanLon * cos);
  const halfSpanLat = height / 2 / scale;
  const project = (x: number, y: number): [number, number] => [
    width / 2 + (x - lon) * cos * scale,
    height / 2 - (y - lat) * scale,
  ];
  const view = {
    w: lon - halfSpanLon,
    e: lon + halfSpanLon,
    s: lat - halfSpanLat,
    n: lat + halfSpanLat,
  };
  const shapes: LocatorShape[] = [];
  for (const f of features) {
    polygonsOf(f).forEach((polygon, i) => {
      const shift = nearestShift(polygon, lon);
      const b = boxOf(polygon, shift);
      if (b.e < view.w || b.w > view.e || b.n < view.s || b.s > view.n) return;
      shapes.push({
        key: `${String(f.id)}-${i}`,
        home: !!at.country && f.properties.iso2 === at.country,
        rings:
          shift === 0 ? polygon : polygon.map((r) => r.map(([x = 0, y = 0]) => [x + shift, y])),
      });
    });
  }
  return { project, shapes, halfSpanLon };
}

/** An SVG path for one ring. */
export function ringPath(ring: Ring, project: LocatorView['project']): string {
  let d = '';
  ring.forEach(([lon = 0, lat = 0], i) => {
    const [x, y] = project(lon, lat);
    d += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return `${d}Z`;
}
