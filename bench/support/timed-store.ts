import type { HistoryStore, Tier } from '../../src/server/storage/store.ts';

export interface StoreCall {
  kind: 'write' | 'prune' | 'checkpoint';
  ms: number;
  /** Rows upserted (write) or deleted (prune). */
  rows: number;
  /** The tier pruned. */
  tier?: Tier;
}

/** The store with every write, prune and checkpoint timed into `calls`. */
export function timedStore(inner: HistoryStore, calls: StoreCall[]): HistoryStore {
  const time = <T>(kind: StoreCall['kind'], f: () => T, rows: (r: T) => number, tier?: Tier): T => {
    const began = performance.now();
    const result = f();
    calls.push({
      kind,
      ms: performance.now() - began,
      rows: rows(result),
      ...(tier ? { tier } : {}),
    });
    return result;
  };
  return {
    seriesIds: (keys) => inner.seriesIds(keys),
    write: (batch) =>
      time(
        'write',
        () => inner.write(batch),
        () => batch.rollups.reduce((n, r) => n + r.series.length, 0),
      ),
    read: (tier, series, from, to, step) => inner.read(tier, series, from, to, step),
    readTotals: (tier, series, from, to) => inner.readTotals(tier, series, from, to),
    coverage: (from, to) => inner.coverage(from, to),
    prune: (tier, series, before, maxRows) =>
      time(
        'prune',
        () => inner.prune(tier, series, before, maxRows),
        (n) => n,
        tier,
      ),
    pruneCoverage: (before) => inner.pruneCoverage(before),
    extent: (tier, series) => inner.extent(tier, series),
    sizeBytes: () => inner.sizeBytes(),
    checkpoint: () =>
      time(
        'checkpoint',
        () => inner.checkpoint(),
        () => 0,
      ),
    close: () => inner.close(),
  };
}
