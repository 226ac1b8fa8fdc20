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

/** The KPI strip's tiles from one tick's figures. */
export function kpiValues(k: Kpis, units: RateUnit): KpiValue[] {
  const connected = k.online + k.degraded;
  const flow = k.bytesInRate + k.bytesOutRate;
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
      exact: `${formatExactRate(flow, units)}, in and out`,
      detail: `in ${formatRate(k.bytesInRate, units)} · out ${formatRate(k.bytesOutRate, units)}`,
    },
    {
      id: 'messages',
      label: 'Messages/s',
      parts: countParts(k.msgRate),
      exact: `${formatExact(k.msgRate)} messages per second`,
      detail: null,
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
