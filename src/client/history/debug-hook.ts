import type { Series } from './series.ts';

/**
 * `window.__meridian`: the Overview chart's bucket times, how many ticks' worth of data each
 * holds and its device count, and where a place is on the map, for browser tests and for a person checking a wall from
 * the console. It exists in every build and holds nothing but what is already on screen.
 */
export interface MeridianDebug {
  chartSeries?: () => {
    stepMs: number;
    t: number[];
    weight: number[];
    devices: (number | null)[];
  } | null;
  /** Page coordinates of a longitude/latitude on the map, once the map has loaded. */
  mapPoint?: (lon: number, lat: number) => [number, number];
}

declare global {
  interface Window {
    __meridian?: MeridianDebug;
  }
}

export function exposeChartSeries(read: () => Series | null): () => void {
  const chartSeries = () => {
    const s = read();
    if (!s) return null;
    return {
      stepMs: s.stepMs,
      t: s.points.map((p) => p.t),
      weight: s.points.map((p) => p.weight),
      devices: s.points.map((p) => p.devices),
    };
  };
  window.__meridian = { ...window.__meridian, chartSeries };
  return () => {
    if (window.__meridian?.chartSeries === chartSeries) delete window.__meridian.chartSeries;
  };
}
