// A small locator map for the device panel: the site as a dot on the country outlines around
// it, drawn as SVG. A second MapLibre map (another WebGL context) for one dot is more weight
// than it is worth; this loads in its own chunk with the world's outlines.
import countries110m from 'world-atlas/countries-110m.json';
import { useMemo } from 'react';
import { locatorView, ringPath, type LocatorView } from './locator-view.ts';
import { countriesGeoJson } from './world-geometry.ts';

const countries = countriesGeoJson(
  countries110m as unknown as Parameters<typeof countriesGeoJson>[0],
);

export interface SiteLocatorProps {
  name: string;
  lon: number;
  lat: number;
  /** ISO alpha-2 of the site's country, highlighted. */
  country: string;
  status: string;
}

const WIDTH = 320;
const HEIGHT = 180;

export default function SiteLocator({ name, lon, lat, country, status }: SiteLocatorProps) {
  const view: LocatorView = useMemo(
    () => locatorView(countries.features, { lon, lat, country, width: WIDTH, height: HEIGHT }),
    [lon, lat, country],
  );
  const [x, y] = view.project(lon, lat);
  return (
    <svg
      className="site-locator"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={`${name} on a map, at ${lat.toFixed(2)}°, ${lon.toFixed(2)}°`}
    >
      <rect className="site-locator__sea" width={WIDTH} height={HEIGHT} />
      {view.shapes.map((s) => (
        <path
          key={s.key}
          className={s.home ? 'site-locator__home' : 'site-locator__land'}
          d={s.rings.map((r) => ringPath(r, view.project)).join(' ')}
        />
      ))}
      <circle className="site-locator__halo" cx={x} cy={y} r={11} data-status={status} />
      <circle className="site-locator__dot" cx={x} cy={y} r={5} data-status={status} />
    </svg>
  );
}
