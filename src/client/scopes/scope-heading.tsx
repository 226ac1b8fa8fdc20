import { useMemo } from 'react';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { formatClock } from '../format/time.ts';
import { useLive, useStaleSince } from '../live/use-live.ts';
import { KIND_NAMES, type ScopeTree } from './scope-tree.ts';

function describe(node: ScopeNode, tree: ScopeTree): string {
  const parts = [KIND_NAMES[node.kind]];
  const children = tree.children.get(node.id) ?? [];
  const placed = children.filter((c) => !c.unplaced);
  if (node.kind === 'global') parts.push(`${placed.length} regions`);
  if (node.kind === 'region') parts.push(`${placed.length} countries`);
  if (node.kind !== 'site') {
    const sites = node.siteCount - (children.length - placed.length);
    parts.push(`${sites.toLocaleString('en-US')} sites`);
  }
  if (node.unplaced) parts.push('devices no site could be found for');
  if (node.timeZone) parts.push(`time zone ${node.timeZone}`);
  return parts.join(' · ');
}

/** The scope's name as the page's heading, what it is, and which moment the figures are for. */
export function ScopeHeading({
  node,
  tree,
  scope,
}: {
  node?: ScopeNode;
  tree?: ScopeTree;
  scope: string;
}) {
  const { tick } = useLive();
  const stale = useStaleSince() !== null;
  // Not again on every tick: it formats numbers for the locale.
  const meta = useMemo(() => (node && tree ? describe(node, tree) : null), [node, tree]);
  return (
    <div className="scope-head">
      <h1>{node?.name ?? scope}</h1>
      <p className="scope-head__meta">
        {meta}
        {tick ? (
          <span className="scope-head__asof" data-stale={stale || undefined}>
            Figures as of {formatClock(tick.ts)}
            {stale ? ', no newer ones since' : null}
          </span>
        ) : null}
      </p>
    </div>
  );
}
