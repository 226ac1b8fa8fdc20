import type { Site } from '../sites/catalog.ts';

/** A device this far from every site is not placed at any of them: it counts as unassigned. */
export const MAX_PLACEMENT_KM = 300;
const EARTH_KM = 6371;
const RAD = Math.PI / 180;

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The index of the site nearest to a point within MAX_PLACEMENT_KM, or -1. A scan of a few
 * thousand sites costs microseconds and runs only when a device's metadata changes.
 */
export function nearestSite(sites: readonly Site[], lat: number, lon: number): number {
  let best = -1;
  let bestKm = MAX_PLACEMENT_KM;
  for (let i = 0; i < sites.length; i++) {
    const s = sites[i]!;
    // Cheap reject before the trigonometry: one degree of latitude is 111 km.
    if (Math.abs(s.lat - lat) * 111 > bestKm) continue;
    const km = distanceKm(lat, lon, s.lat, s.lon);
    if (km <= bestKm) {
      best = i;
      bestKm = km;
    }
  }
  return best;
}
