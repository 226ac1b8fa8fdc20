import type { Kpis } from '../../protocol/metrics.ts';
import type { SeriesPoint } from '../history/series.ts';
import type { KpiId } from './kpi-values.ts';

/** One tile's figure from a chart point (null where the point has no data). */
export function pointValue(id: KpiId, p: SeriesPoint): number | null {
  const { devices, online, degraded, bytesInRate, bytesOutRate, msgRate } = p;
  switch (id) {
    case 'devices':
      return devices;
    case 'onlinePct':
      return devices !== null && online !== null && devices > 0 ? online / devices : null;
    case 'connected':
      return online !== null && degraded !== null ? online + degraded : null;
    case 'flow':
      return bytesInRate !== null && bytesOutRate !== null ? bytesInRate + bytesOutRate : null;
    case 'messages':
      return msgRate;
    case 'offline':
      return devices !== null && online !== null && degraded !== null
        ? devices - online - degraded
        : null;
  }
}

/** The same figure from a tick. */
export function kpiValue(id: KpiId, k: Kpis): number {
  switch (id) {
    case 'devices':
      return k.devices;
    case 'onlinePct':
      return k.devices > 0 ? k.online / k.devices : 0;
    case 'connected':
      return k.online + k.degraded;
    case 'flow':
      return k.bytesInRate + k.bytesOutRate;
    case 'messages':
      return k.msgRate;
    case 'offline':
      return k.offline;
  }
}

/** An hour ago means the bucket that began between 61 and 59 minutes before now. */
const HOUR = 3_600_000;
const SLACK = 60_000;

/** The figure an hour before `now`, or null when the series does not reach back that far. */
export function hourAgo(id: KpiId, points: readonly SeriesPoint[], now: number): number | null {
  for (const p of points) {
    if (p.t < now - HOUR - SLACK) continue;
    if (p.t > now - HOUR + SLACK) return null;
    const v = pointValue(id, p);
    if (v !== null) return v;
  }
  return null;
}

export interface KpiChange {
  /** "▲ 2.4 %", "▼ 0.3 pp", "= 0 %". */
  text: string;
  /** For screen readers and the title: "up 2.4 % on an hour ago (1,204 then)". */
  words: string;
}

/**
 * The change against an hour ago: percentage points for the online share, a relative change
 * for the rest. Neutral in colour: more offline devices is bad, more devices is not.
 */
export function kpiChange(id: KpiId, now: number, then: number | null): KpiChange | null {
  if (then === null || !Number.isFinite(now)) return null;
  if (id === 'onlinePct') {
    const pp = (now - then) * 100;
    const size = Math.abs(pp) < 0.05 ? '0.0' : Math.abs(pp).toFixed(1);
    const arrow = size === '0.0' ? '=' : pp > 0 ? '▲' : '▼';
    return {
      text: `${arrow} ${size} pp`,
      words: `${arrow === '=' ? 'unchanged' : pp > 0 ? 'up' : 'down'} ${size} percentage points on an hour ago`,
    };
  }
  if (then === 0) return now === 0 ? { text: '= 0 %', words: 'unchanged on an hour ago' } : null;
  const pct = ((now - then) / Math.abs(then)) * 100;
  const size =
    Math.abs(pct) < 0.05
      ? '0.0'
      : Math.abs(pct) >= 100
        ? Math.abs(pct).toFixed(0)
        : Math.abs(pct).toFixed(1);
  const arrow = size === '0.0' ? '=' : pct > 0 ? '▲' : '▼';
  return {
    text: `${arrow} ${size} %`,
    words: `${arrow === '=' ? 'unchanged' : pct > 0 ? 'up' : 'down'} ${size} % on an hour ago`,
  };
}
