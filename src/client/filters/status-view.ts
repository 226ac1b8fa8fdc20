// The status filter on the live figures. Counts are kept per status in every cell, so a view of
// some statuses is exact for counts. Traffic is not kept per status: it is exact when the
// filter keeps both connected statuses (online and degraded: offline devices send nothing) or
// neither (zero), and unknown (NaN, shown as "not split") when it keeps only one of them.
import type { HistoryResponse } from '../../protocol/api.ts';
import type { DeviceStatus } from '../../protocol/dimensions.ts';
import type { TickPayload } from '../../protocol/live.ts';
import type { Kpis } from '../../protocol/metrics.ts';
import { decodeSiteFigures, encodeSiteFigures } from '../../protocol/site-figures.ts';

export interface StatusSelection {
  online: boolean;
  degraded: boolean;
  offline: boolean;
  /** 1: traffic as it is, 0: none, NaN: not known for this selection. */
  traffic: number;
}

/** The selection a status filter makes, or null when it keeps every device. */
export function statusSelection(statuses: readonly DeviceStatus[]): StatusSelection | null {
  const online = statuses.includes('online');
  const degraded = statuses.includes('degraded');
  const offline = statuses.includes('offline');
  if (statuses.length === 0 || (online && degraded && offline)) return null;
  const traffic = online && degraded ? 1 : !online && !degraded ? 0 : Number.NaN;
  return { online, degraded, offline, traffic };
}

/** Whether the selection's data flow can be told (see the module comment). */
export const trafficKnown = (s: StatusSelection | null): boolean =>
  s === null || !Number.isNaN(s.traffic);

export function restrictKpis(k: Kpis, s: StatusSelection): Kpis {
  const online = s.online ? k.online : 0;
  const degraded = s.degraded ? k.degraded : 0;
  const offline = s.offline ? k.offline : 0;
  return {
    devices: online + degraded + offline,
    online,
    degraded,
    offline,
    msgRate: k.msgRate * s.traffic,
    bytesInRate: k.bytesInRate * s.traffic,
    bytesOutRate: k.bytesOutRate * s.traffic,
  };
}

/** A tick as it would be if the fleet held only the selected statuses' devices. */
export function restrictTick(tick: TickPayload, s: StatusSelection): TickPayload {
  const breakdown: TickPayload['breakdown'] = { tech: {}, class: {} };
  for (const [k, v] of Object.entries(tick.breakdown.tech)) {
    breakdown.tech[k as keyof typeof breakdown.tech] = restrictKpis(v, s);
  }
  for (const [k, v] of Object.entries(tick.breakdown.class)) {
    breakdown.class[k as keyof typeof breakdown.class] = restrictKpis(v, s);
  }
  let data = tick.sites.data;
  try {
    const f = decodeSiteFigures(data, tick.sites.count);
    for (let i = 0; i < tick.sites.count; i++) {
      const online = s.online ? f.online[i]! : 0;
      f.degraded[i] = s.degraded ? f.degraded[i]! : 0;
      f.offline[i] = s.offline ? f.offline[i]! : 0;
      f.devices[i] = online + f.degraded[i]! + f.offline[i]!;
      f.flowRate[i] = f.flowRate[i]! * s.traffic;
    }
    data = encodeSiteFigures(f, tick.sites.count);
  } catch {
    // A malformed buffer stays as it came: its readers already say it cannot be read.
  }
  return { ...tick, kpis: restrictKpis(tick.kpis, s), breakdown, sites: { ...tick.sites, data } };
}

/**
 * History of the selected statuses: devices is the sum of the selected counts (offline is
 * devices − online − degraded when not asked for), unselected counts are 0, traffic follows the
 * rule above (null where unknown). Bucket min/max are dropped: a sum's extremes are not known.
 */
export function restrictHistory(h: HistoryResponse, s: StatusSelection): HistoryResponse {
  const { devices, online, degraded, offline } = h.series;
  const n = h.t.length;
  const pick = (on: boolean, v: (number | null)[] | undefined) =>
    v && Array.from({ length: n }, (_, i) => (v[i] == null ? null : on ? v[i] : 0));
  const off =
    offline ??
    (devices &&
      online &&
      degraded &&
      devices.map((d, i) =>
        d == null || online[i] == null || degraded[i] == null ? null : d - online[i] - degraded[i],
      ));
  const series: HistoryResponse['series'] = {};
  for (const [metric, values] of Object.entries(h.series) as [
    keyof HistoryResponse['series'],
    (number | null)[],
  ][]) {
    if (metric === 'devices' || metric === 'online' || metric === 'degraded') continue;
    if (metric === 'offline') continue;
    series[metric] = values.map((v) =>
      v == null || Number.isNaN(s.traffic) ? null : v * s.traffic,
    );
  }
  const on = pick(s.online, online);
  const dg = pick(s.degraded, degraded);
  const of = pick(s.offline, off ?? undefined);
  if (online) series.online = on!;
  if (degraded) series.degraded = dg!;
  if (offline) series.offline = of!;
  if (devices) {
    series.devices = Array.from({ length: n }, (_, i) => {
      const parts = [on?.[i], dg?.[i], of?.[i]];
      return parts.some((p) => p == null) ? null : parts.reduce<number>((a, b) => a + b!, 0);
    });
  }
  const { min: _min, max: _max, ...rest } = h;
  return { ...rest, series };
}
