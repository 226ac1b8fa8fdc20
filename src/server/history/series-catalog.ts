import { DEVICE_CLASSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import type { ScopeNode } from '../../protocol/scopes.ts';
import type { ScopeIndex } from '../sites/scope-index.ts';
import type { HistoryStore, Tier } from '../storage/store.ts';

/**
 * Every series history keeps, with a local index used by the recorder:
 *   [0, scopeCount)             one per scope node, in the scope tree's order (unfiltered)
 *   then per non-site scope      8 technology series and 8 class series
 * The layout decides what is kept where (see TIER_SERIES): seconds down to countries,
 * minutes for every scope, hours and days for every series including the filtered ones.
 */
export class SeriesCatalog {
  readonly nodes: readonly ScopeNode[];
  /** Local index of each scope node's unfiltered series (same as its node index). */
  readonly scopeCount: number;
  /** Non-site nodes, in order; filter series follow this order. */
  readonly aggregateNodes: readonly ScopeNode[];
  readonly filterBase: number;
  readonly size: number;
  /** Database id of each local series. */
  readonly dbIds: Int32Array;
  /** Local series indexes written at each tier. */
  readonly tierSeries: Record<Tier, Int32Array>;
  /** The minute tier without sites (for buckets older than sites' minute retention). */
  readonly minAggregates: Int32Array;
  /** For each site index, its site, country, region and global series. */
  private readonly siteChain: Int32Array[];
  private readonly nodeIndex = new Map<string, number>();
  private readonly aggregateIndex = new Map<string, number>();

  constructor(scopes: ScopeIndex, store: HistoryStore) {
    this.nodes = scopes.nodes;
    this.scopeCount = this.nodes.length;
    this.nodes.forEach((n, i) => this.nodeIndex.set(n.id, i));
    this.aggregateNodes = this.nodes.filter((n) => n.kind !== 'site');
    this.aggregateNodes.forEach((n, i) => this.aggregateIndex.set(n.id, i));
    this.filterBase = this.scopeCount;
    this.size = this.filterBase + this.aggregateNodes.length * 16;
    const keys: string[] = this.nodes.map((n) => n.id);
    for (const n of this.aggregateNodes) {
      for (const t of TECHNOLOGIES) keys.push(`${n.id}|tech:${t}`);
      for (const c of DEVICE_CLASSES) keys.push(`${n.id}|class:${c}`);
    }
    this.dbIds = Int32Array.from(store.seriesIds(keys));
    const range = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => from + i);
    const aggregates = this.nodes.flatMap((n, i) => (n.kind === 'site' ? [] : [i]));
    const all = range(0, this.size);
    this.minAggregates = Int32Array.from(aggregates);
    this.siteChain = [];
    this.nodes.forEach((n) => {
      if (n.kind !== 'site') return;
      const chain: number[] = [];
      for (let id: string | null = n.id; id; id = this.nodes[this.nodeIndex.get(id)!]!.parent) {
        chain.push(this.nodeIndex.get(id)!);
      }
      this.siteChain[n.siteStart] = Int32Array.from(chain);
    });
    this.tierSeries = {
      sec: Int32Array.from(aggregates),
      min: Int32Array.from(range(0, this.scopeCount)),
      hour: Int32Array.from(all),
      day: Int32Array.from(all),
    };
  }

  /** Every series a cell's traffic counts in: its scopes, and their tech and class series. */
  seriesOfCell(site: number, tech: number, cls: number): number[] {
    const out: number[] = [];
    for (const i of this.siteChain[site] ?? []) {
      out.push(i);
      const a = this.aggregateIndex.get(this.nodes[i]!.id);
      if (a !== undefined)
        out.push(this.filterBase + a * 16 + tech, this.filterBase + a * 16 + 8 + cls);
    }
    return out;
  }

  unfiltered(scopeId: string): number | undefined {
    return this.nodeIndex.get(scopeId);
  }

  /** Local index of the series of a non-site scope filtered to one technology or class. */
  filtered(scopeId: string, dim: 'tech' | 'class', value: string): number | undefined {
    const a = this.aggregateIndex.get(scopeId);
    if (a === undefined) return undefined;
    const offset =
      dim === 'tech'
        ? TECHNOLOGIES.indexOf(value as never)
        : 8 + DEVICE_CLASSES.indexOf(value as never);
    return offset < 0 || (dim === 'class' && offset < 8)
      ? undefined
      : this.filterBase + a * 16 + offset;
  }
}
