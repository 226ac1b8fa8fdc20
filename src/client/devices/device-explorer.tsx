import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { STATUSES } from '../../protocol/dimensions.ts';
import { ApiError } from '../app/fetch-json.ts';
import { navigate, withParams } from '../app/url-state.ts';
import { useSearch } from '../app/use-url-state.ts';
import { formatExact, type RateUnit } from '../format/numbers.ts';
import { formatClock } from '../format/time.ts';
import type { ScopeTree } from '../scopes/scope-tree.ts';
import { devicesQueryOptions } from './api.ts';
import { DeviceTable } from './device-table.tsx';
import { OFFLINE_LONGEST, parseDeviceView } from './device-view.ts';
import { exportDevicesCsv, type ExportProgress } from './export-csv.ts';
import './devices.css';

interface DeviceExplorerProps {
  scope: string;
  scopeName: string;
  tree: ScopeTree | undefined;
  units: RateUnit;
}

const STATUS_LABELS = { online: 'Online', degraded: 'Degraded', offline: 'Offline' } as const;

/** The devices of the current scope: searchable, filterable by status, sortable, paged. */
// Memoised: the page re-renders on every tick; the list changes only when asked.
export const DeviceExplorer = memo(function DeviceExplorer({
  scope,
  scopeName,
  tree,
  units,
}: DeviceExplorerProps) {
  const search = useSearch();
  const view = useMemo(() => parseDeviceView(search), [search]);
  const options = devicesQueryOptions(scope, view);
  const query = useInfiniteQuery(options);
  const client = useQueryClient();
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.rows) ?? [], [query.data]);
  const first = query.data?.pages[0];
  const expired = query.error instanceof ApiError && query.error.code === 'cursor_expired';

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const needMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const refresh = () => void client.resetQueries({ queryKey: options.queryKey, exact: true });

  // The search box writes to the URL once typing pauses.
  const [draft, setDraft] = useState(view.q);
  useEffect(() => setDraft(view.q), [view.q]);
  useEffect(() => {
    if (draft.trim() === view.q) return;
    const timer = setTimeout(
      () => navigate(withParams(window.location.search, { q: draft.trim() || null })),
      300,
    );
    return () => clearTimeout(timer);
  }, [draft, view.q]);

  const [exporting, setExporting] = useState<ExportProgress | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const exportCsv = async () => {
    if (!first) return;
    setExported(null);
    setExporting({ rows: 0, total: first.snapshot.total });
    try {
      const n = await exportDevicesCsv(first.snapshot.key, setExporting);
      setExported(`Exported ${formatExact(n)} devices.`);
    } catch (err) {
      setExported(
        err instanceof ApiError && err.code === 'cursor_expired'
          ? 'This list has expired: refresh it, then export again.'
          : `The export failed: ${(err as Error).message}`,
      );
    } finally {
      setExporting(null);
    }
  };

  const statusHref = (status: string | null) => withParams(search, { status });
  const only = view.status.length === 1 ? view.status[0] : null;
  const offlineLongest = only === 'offline' && view.sort === 'since' && view.order === 'asc';

  return (
    <section className="devices" aria-labelledby="devices-heading">
      <div className="devices__head">
        <h2 id="devices-heading">
          Devices in {scopeName}{' '}
          {first ? (
            <span className="children__count">{formatExact(first.snapshot.total)}</span>
          ) : null}
        </h2>
        <p className="devices__at" aria-live="polite">
          {first ? `As of ${formatClock(first.snapshot.at)}` : query.isPending ? 'Loading…' : ''}
        </p>
        <button type="button" onClick={refresh} disabled={query.isFetching && !expired}>
          Refresh
        </button>
        <button
          type="button"
          onClick={() => void exportCsv()}
          disabled={!first || exporting !== null}
          title="Every device of this list, as CSV, with the scope, filters and time zone"
        >
          Export CSV
        </button>
        {exporting ? (
          <span className="devices__export" role="status">
            <progress max={exporting.total || 1} value={exporting.rows} aria-label="Export" />{' '}
            {formatExact(exporting.rows)} of {formatExact(exporting.total)}
          </span>
        ) : exported ? (
          <span className="devices__export" role="status">
            {exported}
          </span>
        ) : null}
      </div>
      <div className="devices__tools">
        <label className="devices__search">
          <span>Device id starts with</span>
          <input
            type="search"
            value={draft}
            spellCheck={false}
            autoComplete="off"
            placeholder="e.g. sim-12"
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <div className="toggle" role="group" aria-label="Status">
          <button
            type="button"
            aria-pressed={view.status.length === 0}
            onClick={() => navigate(statusHref(null))}
          >
            All
          </button>
          {[...STATUSES].reverse().map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={only === s}
              onClick={() => navigate(statusHref(s))}
            >
              {STATUS_LABELS[s]}
            </button>
          ))}
        </div>
        <button
          type="button"
          aria-pressed={offlineLongest}
          onClick={() => navigate(withParams(search, OFFLINE_LONGEST))}
        >
          Offline longest first
        </button>
      </div>
      {expired ? (
        <p className="devices__problem" role="alert">
          This list was taken more than 5 minutes ago and has expired.{' '}
          <button type="button" onClick={refresh}>
            Take a fresh one
          </button>
        </p>
      ) : query.isError ? (
        <p className="devices__problem" role="alert">
          The device list could not be loaded: {query.error.message}{' '}
          <button type="button" onClick={refresh}>
            Try again
          </button>
        </p>
      ) : null}
      {first && first.snapshot.total === 0 ? (
        <p className="devices__empty">No device matches.</p>
      ) : first ? (
        <DeviceTable
          rows={rows}
          total={first.snapshot.total}
          view={view}
          tree={tree}
          units={units}
          at={first.snapshot.at}
          watchedSince={first.snapshot.watchedSince}
          onNeedMore={needMore}
        />
      ) : null}
    </section>
  );
});
