/** The figures every scope has per second, and every tick carries as `kpis`. */
export const METRICS = [
  'devices',
  'online',
  'degraded',
  'offline',
  'msgRate',
  'bytesInRate',
  'bytesOutRate',
] as const;
export type Metric = (typeof METRICS)[number];

/** The figures the Overview's charts and KPI trend lines draw (offline follows from them). */
export const SERIES_METRICS = [
  'online',
  'devices',
  'bytesInRate',
  'bytesOutRate',
  'degraded',
  'msgRate',
] as const satisfies readonly Metric[];
export type SeriesMetric = (typeof SERIES_METRICS)[number];

/**
 * Live figures of one view. Counts are exact integers with
 * `online + degraded + offline === devices`; rates are per second whatever the tick interval.
 */
export type Kpis = Record<Metric, number>;

export function emptyKpis(): Kpis {
  return {
    devices: 0,
    online: 0,
    degraded: 0,
    offline: 0,
    msgRate: 0,
    bytesInRate: 0,
    bytesOutRate: 0,
  };
}
