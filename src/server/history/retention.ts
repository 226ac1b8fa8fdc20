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
  /** Where the last pass stopped, so a rule late in the list is never starved. */
  private nextRule = 0;
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
      { tier: 'sec', series: ids((k) => k !== 'site'), keepMs: r.secMs },
      { tier: 'min', series: ids((k) => k === 'site'), keepMs: r.siteMinMs },
      { tier: 'min', series: ids((k) => k !== 'site'), keepMs: r.minMs },
      { tier: 'hour', series: null, keepMs: r.hourMs },
      { tier: 'day', series: null, keepMs: r.dayMs },
    ];
  }

  /**
   * One pass over the rules, starting where the last one stopped; returns the rows deleted.
   * Stops early when `budgetMs` is spent, the next pass resuming from that rule.
   */
  run(now: number, budgetMs = 50): number {
    const began = performance.now();
    let deleted = 0;
    for (let k = 0; k < this.rules.length; k++) {
      const index = (this.nextRule + k) % this.rules.length;
      const rule = this.rules[index]!;
      if (rule.keepMs === 0) continue;
      const before = Math.floor((now - rule.keepMs) / 1000);
      let done = false;
      for (;;) {
        const n = this.store.prune(rule.tier, rule.series, before, STEP_ROWS);
        deleted += n;
        if (n < STEP_ROWS) {
          done = true;
          break;
        }
        if (performance.now() - began > budgetMs) break;
      }
      if (performance.now() - began > budgetMs) {
        this.nextRule = done ? (index + 1) % this.rules.length : index;
        break;
      }
    }
    const keepCoverage =
      Math.max(this.config.backfillDays * 86_400_000, this.config.retain.secMs) + 86_400_000;
    this.store.pruneCoverage(Math.floor((now - keepCoverage) / 1000));
    this.deletedRows += deleted;
    return deleted;
  }
}
