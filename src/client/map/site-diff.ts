import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { TickPayload } from '../../protocol/live.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import type { SiteFigures } from '../../protocol/site-figures.ts';
import { largestSite, siteFeature, type SiteProperties } from './site-features.ts';

/**
 * A site's flow changes on nearly every tick at nearly every site, but the map does not draw
 * it: it is only read in the tooltip, which takes it from the latest tick instead.
 */
const NOT_DRAWN: ReadonlySet<string> = new Set<keyof SiteProperties>(['flow']);
const NOT_DRAWN_FIGURES: ReadonlySet<string> = new Set<keyof SiteFigures>(['flowRate']);

/** Past this share of the sites changed, sending them all again is as cheap and simpler. */
const REPLACE_SHARE = 0.5;

/** The figures the site source's features were last built from (see siteFeature). */
export interface SentSites {
  sites: readonly (ScopeNode | undefined)[];
  start: number;
  count: number;
  most: number;
  figures: SiteFigures;
}

export function sentSites(
  sites: readonly (ScopeNode | undefined)[],
  tick: Pick<TickPayload, 'sites'>,
  figures: SiteFigures,
): SentSites {
  const { start, count } = tick.sites;
  return { sites, start, count, most: largestSite(figures, count), figures };
}

/**
 * What to send to the site source so that it draws the tick's figures, given the figures it
 * was last built from: `null` to replace its data (other sites, or a new largest site that
 * rescales every circle, or most sites changed), an empty diff when nothing it draws changed,
 * else only the sites that appeared, disappeared or changed, with only their changed properties.
 * Only sites whose figures other than flow changed are looked at, so a tick costs little more
 * than comparing two arrays.
 */
export function siteDiff(
  sent: SentSites,
  sites: readonly (ScopeNode | undefined)[],
  tick: Pick<TickPayload, 'sites'>,
  figures: SiteFigures,
): GeoJSONSourceDiff | null {
  const { start, count } = tick.sites;
  if (sent.sites !== sites || sent.start !== start || sent.count !== count) return null;
  const most = largestSite(figures, count);
  if (most !== sent.most) return null;
  const columns = (Object.keys(figures) as (keyof SiteFigures)[])
    .filter((k) => !NOT_DRAWN_FIGURES.has(k))
    .map((k) => [sent.figures[k], figures[k]] as const);
  const limit = count * REPLACE_SHARE;
  const add: NonNullable<GeoJSONSourceDiff['add']> = [];
  const update: NonNullable<GeoJSONSourceDiff['update']> = [];
  const remove: number[] = [];
  for (let i = 0; i < count; i++) {
    let same = true;
    for (const [a, b] of columns) if (a[i] !== b[i]) same = false;
    if (same) continue;
    const id = start + i;
    const before = siteFeature(sites[id], id, sent.figures, i, most);
    const after = siteFeature(sites[id], id, figures, i, most);
    if (!after) {
      if (before) remove.push(id);
    } else if (!before) {
      add.push(after);
    } else {
      const changed = changedProperties(before.properties, after.properties);
      if (changed.length > 0) update.push({ id, addOrUpdateProperties: changed });
    }
    if (add.length + update.length + remove.length > limit) return null;
  }
  const diff: GeoJSONSourceDiff = {};
  if (remove.length) diff.remove = remove;
  if (add.length) diff.add = add;
  if (update.length) diff.update = update;
  return diff;
}

/** True when the diff asks nothing of the source. */
export function isEmptyDiff(diff: GeoJSONSourceDiff): boolean {
  return !diff.remove?.length && !diff.add?.length && !diff.update?.length;
}

function changedProperties(
  before: SiteProperties,
  after: SiteProperties,
): { key: string; value: unknown }[] {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  const out: { key: string; value: unknown }[] = [];
  for (const key in b) {
    if (!NOT_DRAWN.has(key) && a[key] !== b[key]) out.push({ key, value: b[key] });
  }
  return out;
}
