import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type MouseEvent } from 'react';
import type { DeviceSort } from '../../protocol/device-list.ts';
import type { DeviceRow } from '../../protocol/devices.ts';
import { ariaSort, SortButton } from '../app/sort-button.tsx';
import { navigate, withParams } from '../app/url-state.ts';
import { useSearch } from '../app/use-url-state.ts';
import { CLASS_NAMES, TECH_NAMES } from '../charts/dimension-names.ts';
import { formatRate, type RateUnit } from '../format/numbers.ts';
import { formatAge, formatClock } from '../format/time.ts';
import type { ScopeTree } from '../scopes/scope-tree.ts';
import { sortChange, type DeviceView } from './device-view.ts';

const ROW_PX = 36;

interface Column {
  sort: DeviceSort;
  label: string;
}

const COLUMNS: readonly Column[] = [
  { sort: 'id', label: 'Device' },
  { sort: 'site', label: 'Site' },
  { sort: 'tech', label: 'Technology' },
  { sort: 'class', label: 'Class' },
  { sort: 'status', label: 'Status' },
  { sort: 'since', label: 'Since' },
  { sort: 'lastSeen', label: 'Last seen' },
  { sort: 'rate', label: 'Data rate' },
];

interface DeviceTableProps {
  rows: readonly DeviceRow[];
  /** Rows in the whole list: the scrollbar is sized for all of them. */
  total: number;
  view: DeviceView;
  tree: ScopeTree | undefined;
  units: RateUnit;
  /** Snapshot time: ages are measured from it, so they agree with the list. */
  at: number;
  /** A status with no start began before this (the server's start). */
  watchedSince: number;
  /** Asks for more rows once the visible ones reach the end of those loaded. */
  onNeedMore: () => void;
}

/** The device list as an ARIA table; only the rows in view are in the DOM. */
export function DeviceTable({
  rows,
  total,
  view,
  tree,
  units,
  at,
  watchedSince,
  onNeedMore,
}: DeviceTableProps) {
  const search = useSearch();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastShown >= rows.length - 1 && rows.length < total) onNeedMore();
  }, [lastShown, rows.length, total, onNeedMore]);

  return (
    <div className="device-table" role="table" aria-label="Devices" aria-rowcount={total + 1}>
      <div className="device-table__head" role="rowgroup">
        <div className="device-row" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => {
            const sorted = view.sort === c.sort;
            return (
              <div
                key={c.sort}
                role="columnheader"
                aria-sort={ariaSort(sorted ? view.order : null)}
                className={`device-cell device-cell--${c.sort}`}
              >
                <SortButton
                  label={c.label}
                  sorted={sorted ? view.order : null}
                  onClick={() => navigate(withParams(search, sortChange(view, c.sort)))}
                  title={c.sort === 'status' ? 'Offline first, longest in it first' : undefined}
                />
              </div>
            );
          })}
        </div>
      </div>
      <div
        className="device-table__body"
        role="rowgroup"
        ref={scroller}
        tabIndex={0}
        aria-label="Device rows: scroll for more"
        // A short list takes only the room it needs.
        style={{ maxHeight: total * ROW_PX + 2 }}
      >
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <div
                key={item.key}
                className="device-row-wrap"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_PX }}
              >
                {row ? (
                  <DeviceTableRow
                    row={row}
                    index={item.index}
                    siteName={
                      row.site ? (tree?.byId.get(row.site)?.name ?? row.site) : 'Unassigned'
                    }
                    units={units}
                    at={at}
                    watchedSince={watchedSince}
                    search={search}
                  />
                ) : (
                  <div
                    className="device-row device-row--loading"
                    role="row"
                    aria-rowindex={item.index + 2}
                  >
                    <div role="cell" className="device-cell">
                      Loading…
                    </div>
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  row: DeviceRow;
  index: number;
  siteName: string;
  units: RateUnit;
  at: number;
  watchedSince: number;
  search: string;
}

const DeviceTableRow = memo(function DeviceTableRow({
  row,
  index,
  siteName,
  units,
  at,
  watchedSince,
  search,
}: RowProps) {
  const href = withParams(search, { device: row.id });
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(href);
  };
  // No start time: it began before the server was watching, so it is at least that old.
  const before = (
    <span title={`Began before the server started, at ${formatClock(watchedSince)}`}>
      over {formatAge(at - watchedSince)}
    </span>
  );
  const time = (t: number | null) =>
    t === null ? before : <span title={formatClock(t)}>{formatAge(at - t)} ago</span>;
  return (
    <div className="device-row" role="row" aria-rowindex={index + 2} data-status={row.status}>
      <div role="cell" className="device-cell device-cell--id">
        <a href={href} onClick={open}>
          {row.id}
        </a>
      </div>
      <div role="cell" className="device-cell device-cell--site">
        {siteName}
      </div>
      <div role="cell" className="device-cell device-cell--tech">
        {TECH_NAMES[row.tech]}
      </div>
      <div role="cell" className="device-cell device-cell--class">
        {CLASS_NAMES[row.class]}
      </div>
      <div role="cell" className="device-cell device-cell--status">
        <span className="status-dot" aria-hidden="true" />
        {row.status}
      </div>
      <div role="cell" className="device-cell device-cell--since">
        {time(row.since)}
      </div>
      <div role="cell" className="device-cell device-cell--lastSeen">
        {row.lastSeen === null && row.status !== 'offline' ? '—' : time(row.lastSeen)}
      </div>
      <div role="cell" className="device-cell device-cell--rate">
        {row.rate === null ? '—' : formatRate(row.rate, units)}
      </div>
    </div>
  );
});
