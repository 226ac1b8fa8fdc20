import { memo, useMemo, useRef } from 'react';
import type { ScopeNode } from '../../protocol/scopes.ts';
import { ariaSort, SortButton } from '../app/sort-button.tsx';
import { navigate, withParams } from '../app/url-state.ts';
import { useSearch, useUrlState } from '../app/use-url-state.ts';
import {
  formatCount,
  formatExact,
  formatExactRate,
  formatPercent,
  formatRate,
  type RateUnit,
} from '../format/numbers.ts';
import type { PeriodPlaces } from '../history/use-period-places.ts';
import { useLive, useStaleSince } from '../live/use-live.ts';
import { decodeTickSites, sumChildren, type ScopeFigures } from './child-figures.ts';
import { childSortChange, parseChildOrder, sortChildren, type ChildSort } from './child-sort.ts';
import { Sparkline } from '../charts/sparkline.tsx';
import { ChildTrends, TREND_SAMPLES } from './child-trends.ts';
import { ScopeLink } from './scope-link.tsx';
import { CHILD_NOUNS, type ScopeTree } from './scope-tree.ts';

const NO_CHILDREN: readonly ScopeNode[] = [];

const COLUMNS: readonly { sort: ChildSort; label: string; numeric: boolean }[] = [
  { sort: 'name', label: 'Name', numeric: false },
  { sort: 'devices', label: 'Devices', numeric: true },
  { sort: 'online', label: 'Online', numeric: true },
  { sort: 'offline', label: 'Offline', numeric: true },
  { sort: 'flow', label: 'Data flow', numeric: true },
];

interface ChildScopesProps {
  tree: ScopeTree;
  node: ScopeNode;
  units: RateUnit;
  /** A past period's figures instead of the live tick's (means over the period). */
  past?: PeriodPlaces | null;
}

/** A past period's children figures in the table's shape. */
function periodSums(past: PeriodPlaces): Map<string, ScopeFigures> | null {
  const children = past.data?.children;
  if (!children) return null;
  return new Map(
    Object.entries(children).map(([id, f]) => [
      id,
      {
        devices: f.devices,
        online: f.online,
        degraded: f.degraded,
        offline: f.offline,
        flowRate: f.bytesInRate + f.bytesOutRate,
      },
    ]),
  );
}

/** The current scope's children as a sortable table, worst first; a name drills down. */
function ChildScopesView({ tree, node, units, past = null }: ChildScopesProps) {
  const live = useLive();
  const { tick } = live;
  const stale = useStaleSince() !== null && !past;
  const search = useSearch();
  const order = useMemo(() => parseChildOrder(search), [search]);
  const all = tree.children.get(node.id) ?? NO_CHILDREN;
  // A new scope starts its trends afresh.
  const trends = useRef({ scope: node.id, t: new ChildTrends() });
  if (trends.current.scope !== node.id) trends.current = { scope: node.id, t: new ChildTrends() };
  const trend = trends.current.t;
  // The sums last shown, kept while there are no figures of this scope: the view was just
  // changed (its first tick is on its way), or a tick of the next scope came before this table
  // was told of it (app.tsx renders the table after the figures).
  const shownSums = useRef<{ scope: string; sums: Map<string, ScopeFigures> } | null>(null);
  const liveSums = useMemo(() => {
    if (!past && tick?.scope !== node.id && shownSums.current?.scope === node.id) {
      return shownSums.current.sums;
    }
    if (past || !tick || tick.scope !== node.id) return null;
    const sites = decodeTickSites(tick);
    if (!sites) return null;
    const s = sumChildren(tick, sites, all);
    trend.push(tick.seq, s);
    shownSums.current = { scope: node.id, sums: s };
    return s;
  }, [past, tick, node.id, all, trend]);
  const pastSums = useMemo(() => (past ? periodSums(past) : null), [past]);
  const sums = past ? pastSums : liveSums;
  const { tech, cls, status } = useUrlState();
  const filtered = tech.length + cls.length + status.length > 0;
  const { rows, hidden } = useMemo(() => {
    // Devices a real source could not place: listed only when there are some. Under a filter,
    // places with none of the chosen devices say nothing about it: they are counted, not listed.
    const kept = all.filter((c) => {
      const devices = sums?.get(c.id)?.devices;
      if (c.unplaced) return (devices ?? 0) > 0;
      return !filtered || devices !== 0;
    });
    const shown = kept.map((c) => ({ id: c.id, name: c.name, node: c, figures: sums?.get(c.id) }));
    return {
      rows: sortChildren(shown, order),
      hidden: all.filter((c) => !c.unplaced).length - kept.filter((c) => !c.unplaced).length,
    };
  }, [all, sums, order, filtered]);

  if (rows.length === 0 && hidden === 0) return null;
  const noun = CHILD_NOUNS[node.kind];
  const tickMs = live.tickMs ?? 1000;
  return (
    <section
      className="children"
      aria-labelledby="children-heading"
      data-stale={stale || undefined}
    >
      <h2 id="children-heading">
        {noun} in {node.name} <span className="children__count">{rows.length}</span>
        {stale ? <span className="children__stale">stale</span> : null}
        {past ? <span className="children__period">means over the period</span> : null}
      </h2>
      {hidden > 0 ? (
        <p className="children__note" data-hidden={hidden}>
          {rows.length === 0
            ? `None of the ${hidden} ${noun.toLowerCase()} here has devices that match the filters.`
            : `${hidden} more with no devices that match the filters ${hidden === 1 ? 'is' : 'are'} not listed.`}
        </p>
      ) : null}
      {past?.data?.note ? (
        <p className="children__note" role="status">
          Filtered figures: {past.data.note}
        </p>
      ) : null}
      {rows.length === 0 ? null : (
        <div className="children-table__wrap">
          <table className="children-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const sorted = order.sort === c.sort;
                  return (
                    <th
                      key={c.sort}
                      scope="col"
                      aria-sort={ariaSort(sorted ? order.order : null)}
                      className={c.numeric ? 'num' : undefined}
                    >
                      <SortButton
                        label={c.label}
                        sorted={sorted ? order.order : null}
                        onClick={() => navigate(withParams(search, childSortChange(order, c.sort)))}
                        title={
                          c.sort === 'online' ? 'Worst first: the lowest online share' : undefined
                        }
                      />
                    </th>
                  );
                })}
                {past ? null : (
                  <th scope="col">
                    Trend{' '}
                    <span className="children-table__hint">
                      online, last {formatMinutes(TREND_SAMPLES * tickMs)}
                    </span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <ChildRow
                  key={r.id}
                  node={r.node}
                  figures={r.figures}
                  units={units}
                  trend={past ? null : trend.of(r.id)}
                  seq={tick?.seq ?? -1}
                  tickMs={tickMs}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface ChildRowProps {
  node: ScopeNode;
  figures: ScopeFigures | undefined;
  units: RateUnit;
  /** Null in a past period: the trend is of the last ticks. */
  trend: readonly number[] | null;
  /** The tick the trend was last fed by: the row redraws once per tick, not per second. */
  seq: number;
  tickMs: number;
}

const ChildRow = memo(function ChildRow({ node, figures: f, units, trend, tickMs }: ChildRowProps) {
  const exact = f
    ? `${formatExact(f.devices)} devices: ${formatExact(f.online)} online, ${formatExact(f.degraded)} degraded, ${formatExact(f.offline)} offline`
    : 'no data yet';
  const share = (n: number) => (f && f.devices > 0 ? `${(n / f.devices) * 100}%` : '0%');
  const known = (trend ?? []).filter((v) => !Number.isNaN(v));
  const trendText =
    known.length >= 2
      ? `online share ${(known[0]! * 100).toFixed(1)} % → ${(known.at(-1)! * 100).toFixed(1)} % over the last ${formatMinutes(known.length * tickMs)}`
      : 'collecting';
  return (
    <tr>
      <th scope="row">
        <ScopeLink scope={node.id} className="child">
          {node.name}
        </ScopeLink>
      </th>
      <td className="num" title={exact}>
        {f ? formatCount(f.devices) : '—'}
      </td>
      <td className="num">
        <span className="children-table__share">
          {f && f.devices > 0 ? formatPercent(f.online, f.devices) : '—'}
        </span>
        <span className="status-bar" aria-hidden="true">
          <span className="status-bar__online" style={{ width: share(f?.online ?? 0) }} />
          <span className="status-bar__degraded" style={{ width: share(f?.degraded ?? 0) }} />
          <span className="status-bar__offline" style={{ width: share(f?.offline ?? 0) }} />
        </span>
      </td>
      <td className="num">{f ? formatExact(f.offline) : '—'}</td>
      <td className="num" title={f ? formatExactRate(f.flowRate, units) : undefined}>
        {f ? formatRate(f.flowRate, units) : '—'}
      </td>
      {trend ? (
        <td>
          <Sparkline className="children-table__spark" values={trend} label={trendText} />
        </td>
      ) : null}
    </tr>
  );
});

function formatMinutes(ms: number): string {
  return ms < 90_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

// Memoised: a navigation renders the page at once with the old props here (app.tsx).
export const ChildScopes = memo(ChildScopesView);
