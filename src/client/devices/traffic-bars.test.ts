import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../protocol/api.ts';
import { siteMeanPerDevice } from './traffic-bars.ts';

describe('siteMeanPerDevice', () => {
  it('divides the site’s flow by its connected devices, and has no figure where history has none', () => {
    const h = {
      scope: 'site:fr-lyon',
      from: 0,
      to: 900_000,
      stepMs: 300_000,
      tier: 'min',
      filter: null,
      kept: true,
      t: [0, 300_000, 600_000],
      series: {
        bytesInRate: [3000, null, 500],
        bytesOutRate: [1000, 10, 0],
        online: [3, 4, 0],
        degraded: [1, 0, 0],
      },
      completeness: [1, 1, 1],
    } satisfies HistoryResponse;
    expect(siteMeanPerDevice(h)).toEqual({
      t: h.t,
      stepMs: 300_000,
      // 4,000 B/s over 4 connected; no bytes in known; nobody connected.
      rate: [1000, null, null],
    });
  });
});
