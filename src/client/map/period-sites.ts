import type { PlacesResponse } from '../../protocol/places.ts';
import { allocSiteFigures, type SiteFigures } from '../../protocol/site-figures.ts';

/** A past period's sites as the map draws a tick's: from global site index `start`. */
export interface PeriodSites {
  scope: string;
  sites: { start: number; count: number };
  figures: SiteFigures;
}

/**
 * The places API's sites in the map's shape: counts are the period's means (so not whole
 * numbers), the flow its mean rate in + out; a site without history has no devices.
 */
export function periodSites(res: PlacesResponse): PeriodSites | null {
  if (!res.sites) return null;
  const { start, count, figures: list } = res.sites;
  const f = allocSiteFigures(count);
  list.forEach((p, i) => {
    if (!p) return;
    f.devices[i] = p.devices;
    f.online[i] = p.online;
    f.degraded[i] = p.degraded;
    f.offline[i] = p.offline;
    f.flowRate[i] = p.bytesInRate + p.bytesOutRate;
  });
  return { scope: res.scope, sites: { start, count }, figures: f };
}
