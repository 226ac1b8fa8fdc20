import type { Config } from '../core/config.ts';
import type { HistoryStore, Tier } from '../storage/store.ts';
import type { SeriesCatalog } from './series-catalog.ts';

interface Rule {
  tier: Tier;
  series: number[] | null;
  keepMs: number;
}

const STEP_ROWS = 5000;

/**
 * Deletes what each tier no longer keeps, a few thousand rows at a time within a small time
 * budget per run, so writers never wait behind a long delete.
 */
export class Retention {
  private readonly rules: Rule[];
  deletedRows = 0;

  constructor(
    private readonly store: HistoryStore,
    catalog: SeriesCatalog,
    private readonly config: Config['history'],
  ) {
    const ids = (pick: (kind: string) => boolean) =>
      catalog.nodes.flatMap((n, i) => (pick(n.kind) ? [catalog.dbIds[i]!] : []));
    const r = config.retain;
    this.rules = [
      { tier: 'sec', series: null, keepMs: r.secMs },
      { tier: 'min', series: ids((k) => k === 'site'), keepMs: r.siteMinMs },
      { tier: 'min', series: ids((k) => k !== 'site'), keepMs: r.minMs },
      { tier: 'hour', series: null, keepMs: r.hourMs },
      { tier: 'day', series: null, keepMs: r.dayMs },
    ];
  }

  /** One pass; returns the rows deleted. Stops early when `budgetMs` is spent. */
  run(now: number, budgetMs = 50): number {
    const began = performance.now();
    let deleted = 0;
    for (const rule of this.rules) {
      if (rule.keepMs === 0) continue;
      const before = Math.floor((now - rule.keepMs) / 1000);
      for (;;) {
        const n = this.store.prune(rule.tier, rule.series, before, STEP_ROWS);
        deleted += n;
        if (n < STEP_ROWS || performance.now() - began > budgetMs) break;
      }
      if (performance.now() - began > budgetMs) break;
    }
    const keepCoverage =
      Math.max(this.config.backfillDays * 86_400_000, this.config.retain.secMs) + 86_400_000;
    this.store.pruneCoverage(Math.floor((now - keepCoverage) / 1000));
    this.deletedRows += deleted;
    return deleted;
  }
}
