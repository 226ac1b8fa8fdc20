import { describe, expect, it } from 'vitest';
import type { TickPayload } from '../../protocol/live.ts';
import { emptyKpis } from '../../protocol/metrics.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { allocSiteFigures, encodeSiteFigures } from '../../protocol/site-figures.ts';
import { decodeTickSites, sumChildren } from './child-figures.ts';

function node(id: string, siteStart: number, siteCount: number): ScopeNode {
  return {
    id,
    kind: 'country',
    name: id,
    parent: 'region:europe',
    lat: 0,
    lon: 0,
    bbox: [0, 0, 0, 0],
    siteStart,
    siteCount,
  };
}

/** A tick for a region whose sites are global indexes 10..14. */
function regionTick(): TickPayload {
  const f = allocSiteFigures(5);
  const devices = [100, 50, 7, 3_000_000_000, 1];
  devices.forEach((d, i) => {
    f.devices[i] = d;
    f.degraded[i] = i;
    f.offline[i] = 1;
    f.flowRate[i] = 1000 * (i + 1);
  });
  const buffer = encodeSiteFigures(f, 5);
  // socket.io-client in a browser delivers binary attachments as an ArrayBuffer.
  const data = new ArrayBuffer(buffer.byteLength);
  new Uint8Array(data).set(buffer);
  return {
    seq: 1,
    ts: 1000,
    tickMs: 1000,
    scope: 'region:europe',
    filter: null,
    kpis: emptyKpis(),
    breakdown: { tech: {}, class: {} },
    sites: { start: 10, count: 5, data },
    simulated: false,
  };
}

describe('sumChildren', () => {
  it('sums each child over its own range of the tick’s sites', () => {
    const tick = regionTick();
    const sites = decodeTickSites(tick);
    expect(sites).not.toBeNull();
    const sums = sumChildren(tick, sites!, [node('country:AA', 10, 2), node('country:BB', 12, 3)]);
    expect(sums.get('country:AA')).toEqual({
      devices: 150,
      online: 99 + 48,
      degraded: 1,
      offline: 2,
      flowRate: 3000,
    });
    expect(sums.get('country:BB')?.devices).toBe(3_000_000_008);
    expect(sums.get('country:BB')?.offline).toBe(3);
  });

  it('skips a child that is not inside the tick', () => {
    const tick = regionTick();
    const sums = sumChildren(tick, decodeTickSites(tick)!, [node('country:XX', 3, 2)]);
    expect(sums.has('country:XX')).toBe(false);
  });

  it('survives a truncated buffer', () => {
    const tick = regionTick();
    expect(
      decodeTickSites({ ...tick, sites: { ...tick.sites, data: new Uint8Array(3) } }),
    ).toBeNull();
  });
});
