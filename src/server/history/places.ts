import { DEVICE_CLASSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import { METRICS } from '../../protocol/metrics.ts';
import type { PlaceFigures, PlacesQuery, PlacesResponse } from '../../protocol/places.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import type { ReadResult, Tier } from '../storage/store.ts';
import { planBuckets } from './plan.ts';
import { filterDimension, usableFor, type HistoryReader } from './query.ts';

/** About this many buckets span the period: the tier that serves them is read. */
const PERIOD_BUCKETS = 100;
const SELF = 'self';

interface Totals {
  /** Seconds the place's series cover (one series' worth when a place is several). */
  n: number;
  sums: number[];
}

/** One series' seconds and sums over [fromS, toS): the store's, plus what is not written yet. */
function seriesTotals(
  reader: HistoryReader,
  tier: Tier,
  local: readonly number[],
  fromS: number,
  toS: number,
): Map<number, Totals> {
  const ids = local.map((i) => reader.catalog.dbIds[i]!);
  const stored = reader.store.readTotals(tier, ids, fromS, toS);
  const row = new Map(stored.series.map((id, k) => [id, k]));
  const out = new Map<number, Totals>();
  for (const i of local) {
    const k = row.get(reader.catalog.dbIds[i]!);
    const t: Totals =
      k === undefined
        ? { n: 0, sums: new Array<number>(METRICS.length).fill(0) }
        : { n: stored.n[k]!, sums: stored.sums.map((m) => m[k]!) };
    // "Figures not yet written to disk are included", as in GET /api/v1/history.
    const perMetric = () => METRICS.map((): number[] => []);
    const pending: ReadResult = {
      bucket: [],
      n: [],
      sums: perMetric(),
      min: perMetric(),
      max: perMetric(),
    };
    reader.mergePending(tier, [i], fromS, toS, toS - fromS, pending);
    if (pending.bucket.length) {
      t.n += pending.n[0]!;
      for (let m = 0; m < METRICS.length; m++) t.sums[m]! += pending.sums[m]![0]!;
    }
    if (k !== undefined || pending.bucket.length) out.set(i, t);
  }
  return out;
}

/** Sums of several series over the period, per group (a place, or a place's filtered parts). */
function totalsOf(
  reader: HistoryReader,
  tier: Tier,
  groups: ReadonlyMap<string, readonly number[]>,
  fromS: number,
  toS: number,
): Map<string, Totals> {
  const local = [...new Set([...groups.values()].flat())];
  const bySeries = seriesTotals(reader, tier, local, fromS, toS);
  const out = new Map<string, Totals>();
  for (const [key, parts] of groups) {
    let n = 0;
    let found = 0;
    const sums = new Array<number>(METRICS.length).fill(0);
    for (const i of parts) {
      const t = bySeries.get(i);
      if (!t) continue;
      n += t.n;
      found++;
      for (let m = 0; m < METRICS.length; m++) sums[m]! += t.sums[m]!;
    }
    if (found > 0) out.set(key, { n: n / parts.length, sums });
  }
  return out;
}

/**
 * Means over the seconds the scope itself is covered (`seconds`): a site that held devices for
 * half the period counts half its devices, so the places add up to the scope exactly.
 */
function figures(t: Totals, seconds: number, period: number): PlaceFigures | null {
  if (t.n <= 0 || seconds <= 0) return null;
  const f = { coverage: Math.min(1, seconds / period) } as PlaceFigures;
  METRICS.forEach((m, j) => (f[m] = t.sums[j]! / seconds));
  return f;
}

/** Answers GET /api/v1/history/places for a resolved scope and a validated period. */
export function readPlaces(
  reader: HistoryReader,
  scope: ScopeNode,
  q: PlacesQuery & { from: number; to: number },
): PlacesResponse {
  const now = reader.now();
  const { catalog } = reader;
  const { dim, values } = filterDimension(q);
  // Sites are kept unfiltered only; the same tier must serve every place, so plan for sites.
  const plan = planBuckets(
    q.from,
    q.to,
    PERIOD_BUCKETS,
    usableFor(dim ? 'filtered' : 'site', reader.retain, now),
  );
  const fromS = plan.fromS;
  const toS = plan.fromS + plan.buckets * plan.stepS;
  const children = catalog.nodes.filter((n) => n.parent === scope.id);
  const ofPlace = (node: ScopeNode): number[] | null => {
    if (!dim) {
      const i = catalog.unfiltered(node.id);
      return i === undefined ? null : [i];
    }
    const parts = values.map((v) => catalog.filtered(node.id, dim, v));
    return parts.some((p) => p === undefined) ? null : (parts as number[]);
  };
  const groups = new Map<string, number[]>();
  const missing: string[] = [];
  for (const child of children) {
    const local = ofPlace(child);
    if (local) groups.set(child.id, local);
    else missing.push(child.id);
  }
  const sites = dim
    ? []
    : catalog.nodes.filter(
        (n) =>
          n.kind === 'site' &&
          n.siteStart >= scope.siteStart &&
          n.siteStart < scope.siteStart + scope.siteCount,
      );
  for (const site of sites) groups.set(site.id, ofPlace(site)!);
  const breakdownable = !dim && scope.kind !== 'site';
  if (breakdownable) {
    for (const t of TECHNOLOGIES) groups.set(`tech:${t}`, [catalog.filtered(scope.id, 'tech', t)!]);
    for (const c of DEVICE_CLASSES)
      groups.set(`class:${c}`, [catalog.filtered(scope.id, 'class', c)!]);
  }
  groups.set(SELF, [catalog.unfiltered(scope.id)!]);
  const read = totalsOf(reader, plan.tier, groups, fromS, toS);
  const period = Math.max(1, Math.min(toS, now / 1000) - fromS);
  const seconds = read.get(SELF)?.n ?? 0;
  const figuresFor = new Map<string, PlaceFigures>();
  for (const [key, t] of read) {
    const f = figures(t, seconds, period);
    if (f) figuresFor.set(key, f);
  }
  // The filtered series of the breakdown are kept from the hour tier on: a short period reads
  // its breakdown from the hours around it.
  let breakdownFigures = figuresFor;
  if (breakdownable && (plan.tier === 'min' || plan.tier === 'sec')) {
    const hourFrom = Math.floor(fromS / 3600) * 3600;
    const hourTo = Math.ceil(toS / 3600) * 3600;
    const hours = totalsOf(
      reader,
      'hour',
      new Map(
        [...groups].filter(([k]) => k === SELF || k.startsWith('tech:') || k.startsWith('class:')),
      ),
      hourFrom,
      hourTo,
    );
    const hourSeconds = hours.get(SELF)?.n ?? 0;
    breakdownFigures = new Map();
    for (const [key, t] of hours) {
      const f = figures(t, hourSeconds, Math.max(1, Math.min(hourTo, now / 1000) - hourFrom));
      if (f) breakdownFigures.set(key, f);
    }
  }

  const pick = (prefix: string) =>
    Object.fromEntries(
      [...breakdownFigures]
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, f]) => [k.slice(prefix.length), f]),
    );
  const notes: string[] = [];
  if (dim) notes.push('history keeps sites and breakdowns unfiltered only');
  if (missing.length && dim)
    notes.push('history by technology or class is kept for scopes down to country');
  const first = sites[0]?.siteStart ?? scope.siteStart;
  return {
    scope: scope.id,
    from: fromS * 1000,
    to: toS * 1000,
    stepMs: plan.stepS * 1000,
    tier: plan.tier,
    sites: dim
      ? null
      : {
          start: first,
          count: sites.length,
          figures: sites.map((s) => figuresFor.get(s.id) ?? null),
        },
    children: Object.fromEntries(
      children.filter((c) => figuresFor.has(c.id)).map((c) => [c.id, figuresFor.get(c.id)!]),
    ),
    breakdown: breakdownable ? { tech: pick('tech:'), class: pick('class:') } : null,
    ...(notes.length ? { note: `${notes.join('; ')}.` } : {}),
  };
}
