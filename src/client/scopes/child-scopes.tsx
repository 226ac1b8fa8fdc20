import { memo, useMemo } from 'react';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { formatCount, formatExact, formatPercent } from '../format/numbers.ts';
import { useFreshness, useLive } from '../live/use-live.ts';
import { decodeTickSites, sumChildren, type ScopeFigures } from './child-figures.ts';
import { ScopeLink } from './scope-link.tsx';
import { CHILD_NOUNS, type ScopeTree } from './scope-tree.ts';

const NO_CHILDREN: readonly ScopeNode[] = [];

/** The current scope's children with their live device counts; a click drills down. */
export function ChildScopes({ tree, node }: { tree: ScopeTree; node: ScopeNode }) {
  const live = useLive();
  const { tick } = live;
  const { stale } = useFreshness(live);
  const all = tree.children.get(node.id) ?? NO_CHILDREN;
  const sums = useMemo(() => {
    if (!tick || tick.scope !== node.id) return null;
    const sites = decodeTickSites(tick);
    return sites ? sumChildren(tick, sites, all) : null;
  }, [tick, node.id, all]);
  // Devices a real source could not place: listed beside the regions only when there are some.
  const children = all.filter((c) => !c.unplaced || (sums?.get(c.id)?.devices ?? 0) > 0);

  if (children.length === 0) return null;
  return (
    <section
      className="children"
      aria-labelledby="children-heading"
      data-stale={stale || undefined}
    >
      <h2 id="children-heading">
        {CHILD_NOUNS[node.kind]} in {node.name}{' '}
        <span className="children__count">{children.length}</span>
        {stale ? <span className="children__stale">stale</span> : null}
      </h2>
      <ul className="child-list">
        {children.map((child) => (
          <li key={child.id}>
            <ChildCard node={child} figures={sums?.get(child.id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

interface ChildCardProps {
  node: ScopeNode;
  figures: ScopeFigures | undefined;
}

// Memoised: the list re-renders every second for its stale mark, the cards only on a tick.
const ChildCard = memo(function ChildCard({ node, figures: f }: ChildCardProps) {
  const exact = f
    ? `${formatExact(f.devices)} devices: ${formatExact(f.online)} online, ${formatExact(f.degraded)} degraded, ${formatExact(f.offline)} offline`
    : 'no data yet';
  const share = (n: number) => (f && f.devices > 0 ? `${(n / f.devices) * 100}%` : '0%');
  return (
    <ScopeLink scope={node.id} className="child">
      <span className="child__name">{node.name}</span>
      <span className="child__figure" title={exact}>
        <span aria-hidden="true">
          <span className="child__devices">{f ? formatCount(f.devices) : '—'}</span>{' '}
          <span className="child__online">
            {f ? `${formatPercent(f.online, f.devices)} online` : ''}
          </span>
        </span>
        <span className="visually-hidden">{exact}</span>
      </span>
      <span className="status-bar" aria-hidden="true">
        <span className="status-bar__online" style={{ width: share(f?.online ?? 0) }} />
        <span className="status-bar__degraded" style={{ width: share(f?.degraded ?? 0) }} />
        <span className="status-bar__offline" style={{ width: share(f?.offline ?? 0) }} />
      </span>
    </ScopeLink>
  );
});
