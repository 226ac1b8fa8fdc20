import type { Kpis } from '../../protocol/metrics.ts';
import {
  countParts,
  formatCount,
  formatExact,
  formatExactRate,
  formatPercent,
  formatRate,
  percentParts,
  rateParts,
  type FigureParts,
  type RateUnit,
} from '../format/numbers.ts';

export type KpiId = 'devices' | 'onlinePct' | 'connected' | 'flow' | 'messages' | 'offline';

export interface KpiValue {
  id: KpiId;
  label: string;
  parts: FigureParts;
  /** The exact figure in words, for the title and screen readers. */
  exact: string;
  detail: string | null;
}

/** What a traffic tile says when a status filter keeps online or degraded devices alone. */
export const NOT_SPLIT = 'Not split between online and degraded devices';

/** The KPI strip's tiles from one tick's figures (traffic NaN: not known, see status-view.ts). */
export function kpiValues(k: Kpis, units: RateUnit): KpiValue[] {
  const connected = k.online + k.degraded;
  const flow = k.bytesInRate + k.bytesOutRate;
  const split = Number.isFinite(flow);
  return [
    {
      id: 'devices',
      label: 'Devices',
      parts: countParts(k.devices),
      exact: `${formatExact(k.devices)} devices`,
      detail: `${formatCount(k.online)} online · ${formatCount(k.degraded)} degraded`,
    },
    {
      id: 'onlinePct',
      label: 'Online',
      parts: percentParts(k.online, k.devices),
      exact: `${formatExact(k.online)} of ${formatExact(k.devices)} devices online`,
      detail: `${formatCount(k.online)} of ${formatCount(k.devices)}`,
    },
    {
      id: 'connected',
      label: 'Connected',
      parts: countParts(connected),
      exact: `${formatExact(connected)} devices connected (online or degraded)`,
      detail: `${formatPercent(connected, k.devices)} available`,
    },
    {
      id: 'flow',
      label: 'Data flow',
      parts: rateParts(flow, units),
      exact: split ? `${formatExactRate(flow, units)}, in and out` : NOT_SPLIT,
      detail: split
        ? `in ${formatRate(k.bytesInRate, units)} · out ${formatRate(k.bytesOutRate, units)}`
        : NOT_SPLIT,
    },
    {
      id: 'messages',
      label: 'Messages/s',
      parts: countParts(k.msgRate),
      exact: split ? `${formatExact(k.msgRate)} messages per second` : NOT_SPLIT,
      detail: split ? null : NOT_SPLIT,
    },
    {
      id: 'offline',
      label: 'Offline',
      parts: countParts(k.offline),
      exact: `${formatExact(k.offline)} devices offline`,
      detail: `${formatPercent(k.offline, k.devices)} of devices`,
    },
  ];
}
