import type { HistoryResponse } from '../../protocol/api.ts';

/** Bars of a data rate over time: `rate[i]` (bytes/s, null = no figure) from `t[i]`. */
export interface TrafficBars {
  t: number[];
  stepMs: number;
  rate: (number | null)[];
}

/**
 * What one connected device at a site sent on average in each bucket: the site's data flow
 * over its connected devices (online + degraded). Null where the site had none connected or
 * history has no figure.
 */
export function siteMeanPerDevice(h: HistoryResponse): TrafficBars {
  const { bytesInRate = [], bytesOutRate = [], online = [], degraded = [] } = h.series;
  return {
    t: h.t,
    stepMs: h.stepMs,
    rate: h.t.map((_, i) => {
      const bytesIn = bytesInRate[i];
      const bytesOut = bytesOutRate[i];
      const connected = (online[i] ?? 0) + (degraded[i] ?? 0);
      if (bytesIn == null || bytesOut == null || !(connected > 0)) return null;
      return (bytesIn + bytesOut) / connected;
    }),
  };
}
