import { describe, expect, it } from 'vitest';
import countries110m from 'world-atlas/countries-110m.json';
import { locatorView, ringPath } from './locator-view.ts';
import { countriesGeoJson } from './world-geometry.ts';

const world = countriesGeoJson(countries110m as unknown as Parameters<typeof countriesGeoJson>[0]);
const SIZE = { width: 320, height: 180 };

function namesOf(view: ReturnType<typeof locatorView>): Set<string> {
  const ids = new Set(view.shapes.map((s) => s.key.split('-')[0]));
  return new Set(world.features.filter((f) => ids.has(String(f.id))).map((f) => f.properties.name));
}

describe('locatorView', () => {
  it('frames the part of the country the site is in, with its neighbours', () => {
    const view = locatorView(world.features, { lon: 4.83, lat: 45.76, country: 'FR', ...SIZE });
    expect(view.project(4.83, 45.76)).toEqual([160, 90]);
    // Metropolitan France, not French Guiana across the ocean.
    for (const [lon, lat] of [
      [2.35, 48.86],
      [5.37, 43.3],
      [-4.49, 48.39],
    ] as const) {
      const [x, y] = view.project(lon, lat);
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(SIZE.width);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(SIZE.height);
    }
    expect(view.halfSpanLon).toBeLessThan(20);
    const names = namesOf(view);
    expect(names).toContain('France');
    expect(names).toContain('Germany');
    expect(names).not.toContain('Brazil');
    const home = view.shapes.filter((s) => s.home);
    expect(home.length).toBeGreaterThan(0);
    // Only the home polygon near the site lies in view.
    for (const s of home) {
      const [x, y] = view.project(s.rings[0]![0]![0]!, s.rings[0]![0]![1]!);
      expect(Math.abs(x - 160)).toBeLessThan(400);
      expect(Math.abs(y - 90)).toBeLessThan(400);
    }
  });

  it('draws islands across the antimeridian next to a site there', () => {
    const view = locatorView(world.features, { lon: 178.44, lat: -18.14, country: 'FJ', ...SIZE });
    const fiji = view.shapes.filter((s) => s.home);
    expect(fiji.length).toBeGreaterThan(0);
    for (const s of fiji) {
      for (const [lon] of s.rings[0]!) expect(Math.abs(lon! - 178.44)).toBeLessThan(10);
    }
  });

  it('keeps a narrow span around a city-state and a site with no country known', () => {
    const sg = locatorView(world.features, { lon: 103.85, lat: 1.29, country: 'SG', ...SIZE });
    // Singapore is too small for the 1:110m outlines: the narrowest frame.
    expect(sg.halfSpanLon).toBeLessThan(4);
    const none = locatorView(world.features, { lon: 0, lat: 0, country: '', ...SIZE });
    expect(none.shapes.every((s) => !s.home)).toBe(true);
  });

  it('writes a closed SVG path', () => {
    const view = locatorView(world.features, { lon: 0, lat: 0, country: '', ...SIZE });
    expect(
      ringPath(
        [
          [0, 0],
          [1, 1],
        ],
        view.project,
      ),
    ).toMatch(/^M160\.0,90\.0L\d+\.\d,\d+\.\dZ$/);
  });
});
