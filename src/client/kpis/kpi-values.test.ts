import { describe, expect, it } from 'vitest';
import type { Kpis } from '../../protocol/metrics.ts';
import { kpiValues } from './kpi-values.ts';

const kpis: Kpis = {
  devices: 39_123_456_789,
  online: 37_000_000_000,
  degraded: 1_000_000_000,
  offline: 1_123_456_789,
  msgRate: 1_500_000,
  bytesInRate: 300_000_000_000_000,
  bytesOutRate: 80_000_000_000_000,
};

const byId = (units: 'bytes' | 'bits') => new Map(kpiValues(kpis, units).map((v) => [v.id, v]));

describe('kpiValues', () => {
  it('derives connected, online share and data flow from the tick', () => {
    const v = byId('bytes');
    expect(v.get('devices')?.parts).toEqual({ value: '39.1', unit: 'bn' });
    expect(v.get('onlinePct')?.parts).toEqual({ value: '94.6', unit: '%' });
    expect(v.get('connected')?.parts).toEqual({ value: '38.0', unit: 'bn' });
    expect(v.get('connected')?.exact).toBe('38,000,000,000 devices connected (online or degraded)');
    expect(v.get('flow')?.parts).toEqual({ value: '380', unit: 'TB/s' });
    expect(v.get('messages')?.parts).toEqual({ value: '1.5', unit: 'M' });
    expect(v.get('offline')?.exact).toBe('1,123,456,789 devices offline');
  });

  it('shows the data flow in bits per second on request', () => {
    expect(byId('bits').get('flow')?.parts).toEqual({ value: '3.0', unit: 'Pb/s' });
    expect(byId('bits').get('flow')?.exact).toBe(
      '3,040,000,000,000,000 bits per second, in and out',
    );
  });
});
