import type { MeridianDebug } from '../history/debug-hook.ts';

/** `window.__meridian.mapPoint(lon, lat)`: where a place is on the page, for browser tests. */
export function exposeMapProjection(project: (lon: number, lat: number) => [number, number]) {
  const debug: MeridianDebug = (window.__meridian ??= {});
  debug.mapPoint = project;
  return () => {
    if (debug.mapPoint === project) delete debug.mapPoint;
  };
}
