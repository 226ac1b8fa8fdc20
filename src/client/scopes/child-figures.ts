import type { TickPayload } from '../../protocol/live.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { decodeSiteFigures, type SiteFigures } from '../../protocol/site-figures.ts';

export interface ScopeFigures {
  devices: number;
  online: number;
  degraded: number;
  offline: number;
  /** Bytes in + out per second. */
  flowRate: number;
}

// The map and the children table both read every tick's site figures: decoded once per tick.
const decoded = new WeakMap<TickPayload, SiteFigures | null>();

/** Decodes a tick's per-site figures (not to be changed); null when the buffer is malformed. */
export function decodeTickSites(tick: TickPayload): SiteFigures | null {
  let figures = decoded.get(tick);
  if (figures === undefined) {
    try {
      figures = decodeSiteFigures(tick.sites.data, tick.sites.count);
    } catch {
      figures = null;
    }
    decoded.set(tick, figures);
  }
  return figures;
}

/**
 * Sums the site figures of each child scope. A scope's sites are those with global index in
 * [siteStart, siteStart + siteCount); the tick's figures start at global index `tick.sites.start`.
 * A child that lies outside the tick's sites gets no entry.
 */
export function sumChildren(
  tick: TickPayload,
  sites: SiteFigures,
  children: readonly ScopeNode[],
): Map<string, ScopeFigures> {
  const out = new Map<string, ScopeFigures>();
  const first = tick.sites.start;
  const end = first + tick.sites.count;
  for (const child of children) {
    const from = child.siteStart;
    const to = child.siteStart + child.siteCount;
    if (from < first || to > end) continue;
    const f: ScopeFigures = { devices: 0, online: 0, degraded: 0, offline: 0, flowRate: 0 };
    for (let i = from - first; i < to - first; i++) {
      f.devices += sites.devices[i] ?? 0;
      f.online += sites.online[i] ?? 0;
      f.degraded += sites.degraded[i] ?? 0;
      f.offline += sites.offline[i] ?? 0;
      f.flowRate += sites.flowRate[i] ?? 0;
    }
    out.set(child.id, f);
  }
  return out;
}
