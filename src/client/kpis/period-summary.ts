import {
  amountParts,
  countParts,
  formatCount,
  formatExact,
  formatRate,
  joinParts,
  percentParts,
  type RateUnit,
} from '../format/numbers.ts';
import type { Series } from '../history/series.ts';
import type { KpiValue } from './kpi-values.ts';

/** What the tiles say of a past period. */
export interface PeriodSummary {
  /** Devices, offline and connected in the last bucket with data. */
  devicesEnd: number;
  offlineEnd: number;
  /** Time-weighted: Σ online·t / Σ devices·t. */
  onlineShare: number;
  connectedAvg: number;
  flowAvg: number;
  bytesTotal: number;
  msgAvg: number;
  msgTotal: number;
  /** Share of the period covered by data. */
  completeness: number;
}

/**
 * Sums a period's series. Each point's weight is the seconds of data behind it (the series is
 * read with a one-second tick), so averages are time-weighted and totals are rate × time.
 */
export function summarisePeriod(series: Series, from: number, to: number): PeriodSummary | null {
  let seconds = 0;
  let online = 0;
  let devices = 0;
  let connected = 0;
  let flow = 0;
  let msgs = 0;
  let last: (typeof series.points)[number] | null = null;
  for (const p of series.points) {
    if (p.weight === 0 || p.devices === null || p.online === null) continue;
    const w = p.weight;
    seconds += w;
    devices += p.devices * w;
    online += p.online * w;
    connected += (p.online + (p.degraded ?? 0)) * w;
    flow += ((p.bytesInRate ?? 0) + (p.bytesOutRate ?? 0)) * w;
    msgs += (p.msgRate ?? 0) * w;
    last = p;
  }
  if (!last || seconds === 0) return null;
  return {
    devicesEnd: last.devices!,
    offlineEnd: last.devices! - last.online! - (last.degraded ?? 0),
    onlineShare: devices > 0 ? online / devices : 0,
    connectedAvg: connected / seconds,
    flowAvg: flow / seconds,
    bytesTotal: flow,
    msgAvg: msgs / seconds,
    msgTotal: msgs,
    completeness: Math.min(1, (seconds * 1000) / (to - from)),
  };
}

/** The tiles of a past period, each saying what it summarises. */
export function periodValues(s: PeriodSummary, units: RateUnit): KpiValue[] {
  return [
    {
      id: 'devices',
      label: 'Devices',
      parts: countParts(s.devicesEnd),
      exact: `${formatExact(Math.round(s.devicesEnd))} devices at the end of the period`,
      detail: 'at the end of the period',
    },
    {
      id: 'onlinePct',
      label: 'Online',
      parts: percentParts(s.onlineShare, 1),
      exact: `${(s.onlineShare * 100).toFixed(2)} % online, time-weighted over the period`,
      detail: 'time-weighted average',
    },
    {
      id: 'connected',
      label: 'Connected',
      parts: countParts(s.connectedAvg),
      exact: `${formatExact(Math.round(s.connectedAvg))} devices connected on average`,
      detail: 'average over the period',
    },
    {
      id: 'flow',
      label: 'Data',
      parts: amountParts(s.bytesTotal, units),
      exact: `${joinParts(amountParts(s.bytesTotal, units))} in and out over the period`,
      detail: `in total · average ${formatRate(s.flowAvg, units)}`,
    },
    {
      id: 'messages',
      label: 'Messages',
      parts: countParts(s.msgTotal),
      exact: `${formatExact(Math.round(s.msgTotal))} messages over the period`,
      detail: `in total · average ${formatCount(s.msgAvg)}/s`,
    },
    {
      id: 'offline',
      label: 'Offline',
      parts: countParts(s.offlineEnd),
      exact: `${formatExact(Math.round(s.offlineEnd))} devices offline at the end of the period`,
      detail: 'at the end of the period',
    },
  ];
}
