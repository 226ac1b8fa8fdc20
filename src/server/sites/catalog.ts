import type { Region } from '../../protocol/dimensions.ts';
import shipped from './sites.json' with { type: 'json' };

/** A city or facility: the smallest scope. */
export interface Site {
  id: string;
  name: string;
  country: string;
  region: Region;
  lat: number;
  lon: number;
  population: number;
  timeZone: string;
}

export interface SiteCatalog {
  /** Ordered by region, country, population (the scope tree's order). */
  sites: Site[];
  countryNames: Record<string, string>;
}

let cached: SiteCatalog | undefined;

/** The shipped site list, built by `npm run build:sites` from GeoNames data. */
export function loadSiteCatalog(): SiteCatalog {
  if (!cached) {
    // Bundled with the code: the server needs no data file at run time.
    const raw = shipped as { countries: Record<string, string>; sites: Site[] };
    cached = { sites: raw.sites, countryNames: raw.countries };
  }
  return cached;
}
