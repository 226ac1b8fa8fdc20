import { memo, useMemo } from 'react';
import { formatClock } from '../format/time.ts';
import { formatCount, formatExact, formatPercent } from '../format/numbers.ts';
import type { Kpis } from '../../protocol/metrics.ts';
import type { PeriodPlaces } from '../history/use-period-places.ts';
import { useStaleSince } from '../live/use-live.ts';

interface BreakdownProps<K extends string> {
  /** Visible caption: "By technology". */
  title: string;
  /** Accessible name of the figure: "Devices by technology". */
  label: string;
  /** Every key, in a fixed order; those with no devices are left out. */
  keys: readonly K[];
  names: Record<K, string>;
  /** The tick's figures per key (`tick.breakdown.tech` or `.class`). */
  figures: Partial<Record<K, Kpis>> | undefined;
  /**
   * A past period instead of the live tick: its means (`figures` from the period), or why
   * there are none.
   */
  past?: { loading: boolean; problem: string | null } | null;
}

/** What one row shows, as text: a row whose text is the same as on the last tick is left alone. */
interface RowProps {
  name: string;
  title: string;
  /** Bar widths, rounded to a tenth of a per cent (a fraction of a pixel). */
  devicesWidth: string;
  onlineWidth: string;
  figure: string;
  pct: string;
}

function rowProps(name: string, k: Kpis, most: number): RowProps {
  return {
    name,
    title: `${name}: ${formatExact(k.devices)} devices, ${formatExact(k.online)} online`,
    devicesWidth: `${((k.devices / most) * 100).toFixed(1)}%`,
    onlineWidth: `${((k.online / k.devices) * 100).toFixed(1)}%`,
    figure: formatCount(k.devices),
    pct: formatPercent(k.online, k.devices),
  };
}

/** One key's devices as a bar (online part filled), its device count and its online share. */
const BreakdownRow = memo(function BreakdownRow(r: RowProps) {
  return (
    <li className="breakdown__row" title={r.title}>
      <span className="breakdown__name">{r.name}</span>
      <span className="breakdown__bar" aria-hidden="true">
        <span className="breakdown__bar-devices" style={{ width: r.devicesWidth }}>
          <span className="breakdown__bar-online" style={{ width: r.onlineWidth }} />
        </span>
      </span>
      <span className="breakdown__figure">{r.figure}</span>
      <span className="breakdown__pct">{r.pct}</span>
    </li>
  );
});

/** Devices and online share per key of one dimension, live from the tick, largest first. */
export function Breakdown<K extends string>({
  title,
  label,
  keys,
  names,
  figures,
  past = null,
}: BreakdownProps<K>) {
  const staleSince = useStaleSince();
  const stale = !past && staleSince !== null;
  // Staleness re-renders this too: the rows change only with the figures.
  const rows = useMemo(
    () =>
      keys
        .flatMap((key) => {
          const k = figures?.[key];
          return k && k.devices > 0 ? [{ key, k }] : [];
        })
        .sort((a, b) => b.k.devices - a.k.devices),
    [keys, figures],
  );
  const most = rows[0]?.k.devices ?? 0;
  return (
    <figure className="chart breakdown" aria-label={label} data-stale={stale || undefined}>
      <figcaption>
        <span className="chart__title">{title}</span>
        {stale && staleSince !== null ? (
          <span className="breakdown__stale">stale since {formatClock(staleSince)}</span>
        ) : (
          <span className="breakdown__hint">
            {past ? 'devices · online, mean over the period' : 'devices · online'}
          </span>
        )}
      </figcaption>
      {rows.length === 0 ? (
        <p className="chart__wait">
          {!past
            ? 'Waiting for data…'
            : past.loading
              ? 'Loading history…'
              : (past.problem ?? 'No history in this period.')}
        </p>
      ) : (
        <ul className="breakdown__list">
          {rows.map(({ key, k }) => (
            <BreakdownRow key={key} {...rowProps(names[key], k, most)} />
          ))}
        </ul>
      )}
    </figure>
  );
}

/** What a breakdown says about a past period's figures: loading, or why there are none. */
export function pastState(past: PeriodPlaces | null): BreakdownProps<string>['past'] {
  if (!past) return null;
  const problem = past.error
    ? `History could not be read: ${past.error.message}`
    : past.data && !past.data.breakdown
      ? past.data.note
        ? `Not in history: ${past.data.note}`
        : 'History keeps breakdowns for scopes down to country, not for one site.'
      : null;
  return { loading: past.loading, problem };
}
