import type { HistoryQuery, HistoryResponse } from '../../protocol/api.ts';
import { METRICS, type Metric } from '../../protocol/metrics.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import type { Config } from '../core/config.ts';
import type { HistoryStore, ReadResult, Tier } from '../storage/store.ts';
import { planBuckets } from './plan.ts';
import type { SeriesCatalog } from './series-catalog.ts';

export interface HistoryReader {
  catalog: SeriesCatalog;
  store: HistoryStore;
  retain: Config['history']['retain'];
  /** Adds what is not yet written to a store read, so the answer includes the latest seconds. */
  mergePending: (
    tier: Tier,
    local: readonly number[],
    fromS: number,
    toS: number,
    stepS: number,
    r: ReadResult,
  ) => void;
  now: () => number;
}

type Kind = 'aggregate' | 'site' | 'filtered';

/** Whether a tier keeps a series of this kind back to `fromMs`. */
export function usableFor(kind: Kind, retain: Config['history']['retain'], now: number) {
  const keeps = (ms: number, fromMs: number) => ms === 0 || fromMs >= now - ms;
  return (tier: Tier, fromMs: number): boolean => {
    switch (tier) {
      case 'sec':
        return kind === 'aggregate' && keeps(retain.secMs, fromMs);
      case 'min':
        return (
          kind !== 'filtered' && keeps(kind === 'site' ? retain.siteMinMs : retain.minMs, fromMs)
        );
      case 'hour':
        return keeps(retain.hourMs, fromMs);
      case 'day':
        return keeps(retain.dayMs, fromMs);
    }
  };
}

function nulls(n: number, metrics: readonly Metric[]): Record<string, (number | null)[]> {
  return Object.fromEntries(metrics.map((m) => [m, new Array<number | null>(n).fill(null)]));
}

/** Metrics from this index on are traffic (msgRate, bytesInRate, bytesOutRate). */
const FIRST_TRAFFIC = 4;

/** The one filter dimension history keeps for a view, and its values (dim null: unfiltered). */
export function filterDimension(q: { tech?: readonly string[]; class?: readonly string[] }): {
  dim: 'tech' | 'class' | null;
  values: readonly string[];
} {
  return { dim: q.tech ? 'tech' : q.class ? 'class' : null, values: q.tech ?? q.class ?? [] };
}

/** Answers GET /api/v1/history for a resolved scope and validated query. */
export function readHistory(
  reader: HistoryReader,
  scope: ScopeNode,
  q: HistoryQuery & { from: number; to: number },
): HistoryResponse {
  const now = reader.now();
  const metrics = q.metrics ?? [...METRICS];
  const { dim, values } = filterDimension(q);
  const kind: Kind = dim ? 'filtered' : scope.kind === 'site' ? 'site' : 'aggregate';
  const local = dim
    ? values.map((v) => reader.catalog.filtered(scope.id, dim, v))
    : [reader.catalog.unfiltered(scope.id)];
  const plan = planBuckets(q.from, q.to, q.maxPoints, usableFor(kind, reader.retain, now));
  const t = Array.from({ length: plan.buckets }, (_, i) => (plan.fromS + i * plan.stepS) * 1000);
  const base = {
    scope: scope.id,
    from: q.from,
    to: q.to,
    stepMs: plan.stepS * 1000,
    tier: plan.tier,
    t,
    filter: dim ? { [dim]: values } : null,
  };
  if (local.some((i) => i === undefined)) {
    return {
      ...base,
      series: nulls(plan.buckets, metrics),
      completeness: new Array<number>(plan.buckets).fill(0),
      kept: false,
      note: 'history by technology or class is kept for scopes down to country, at hourly resolution',
    };
  }
  const ids = local.map((i) => reader.catalog.dbIds[i!]!);
  const toS = plan.fromS + plan.buckets * plan.stepS;
  const r = reader.store.read(plan.tier, ids, plan.fromS, toS, plan.stepS);
  reader.mergePending(plan.tier, local as number[], plan.fromS, toS, plan.stepS, r);
  const series = nulls(plan.buckets, metrics);
  const single = ids.length === 1;
  const min = single ? nulls(plan.buckets, metrics) : undefined;
  const max = single ? nulls(plan.buckets, metrics) : undefined;
  const completeness = new Array<number>(plan.buckets).fill(0);
  const nowS = now / 1000;
  r.bucket.forEach((b, i) => {
    if (b < 0 || b >= plan.buckets) return;
    const n = r.n[i]! / ids.length;
    const start = plan.fromS + b * plan.stepS;
    const span = Math.min(start + plan.stepS, Math.max(nowS, start + 1)) - start;
    completeness[b] = Math.min(1, n / span);
    if (n <= 0) {
      // Nothing but late traffic here (a real source's reports for a time the server was not
      // running): device counts are unknown, traffic is known, as a rate over the bucket.
      for (const m of metrics) {
        const k = METRICS.indexOf(m);
        if (k >= FIRST_TRAFFIC && r.sums[k]![i]! > 0) series[m]![b] = r.sums[k]![i]! / span;
      }
      return;
    }
    for (const m of metrics) {
      const k = METRICS.indexOf(m);
      const mean = r.sums[k]![i]! / n;
      series[m]![b] = mean;
      if (min && max) {
        // Late traffic adds to the sums but leaves min/max alone (the seconds it raised are not
        // all kept): a bucket's peak is at least its mean and its trough at most.
        const lo = r.min[k]![i]!;
        const hi = r.max[k]![i]!;
        min[m]![b] = Number.isFinite(lo) ? Math.min(lo, mean) : null;
        max[m]![b] = Number.isFinite(hi) ? Math.max(hi, mean) : null;
      }
    }
  });
  return {
    ...base,
    series,
    ...(min && max ? { min, max } : {}),
    completeness,
    kept: true,
  };
}
