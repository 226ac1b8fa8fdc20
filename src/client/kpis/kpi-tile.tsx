import { memo } from 'react';
import { sameValues, Sparkline } from '../charts/sparkline.tsx';
import { formatAge } from '../format/time.ts';
import { useFreshness, useLive } from '../live/use-live.ts';
import type { KpiChange } from './kpi-trend.ts';
import type { KpiValue } from './kpi-values.ts';

interface KpiTileProps {
  value: KpiValue | null;
  label: string;
  /** Shown instead of the detail line: "Stale since 14:02:07 CET", "Waiting for data…". */
  note: string | null;
  stale: boolean;
  /** The figure over the last hour, oldest first (NaN: no data). */
  trend: readonly number[];
  /** Against an hour ago; null when there is no figure for then. */
  change: KpiChange | null;
  /** Why there is no change to show, when there is none. */
  noChange: string;
  /** Show the age of the figures (live) or not (a past period). */
  age?: boolean;
}

/**
 * One large figure; the exact value is in the title and, for screen readers, in the text.
 * Compared by what it shows: a tick that leaves the figure and its hour as they were (devices,
 * mostly) leaves the tile alone.
 */
export const KpiTile = memo(function KpiTile({
  value,
  label,
  note,
  stale,
  trend,
  change,
  noChange,
  age = true,
}: KpiTileProps) {
  return (
    <li className="kpi" data-kpi={value?.id} data-stale={stale || undefined}>
      <div className="kpi__head">
        <h3 className="kpi__label">{label}</h3>
        {age ? <DataAge /> : null}
      </div>
      <p className="kpi__value" title={value?.exact}>
        <span aria-hidden="true">
          <span className="kpi__number">{value?.parts.value ?? '—'}</span>
          {value?.parts.unit ? <span className="kpi__unit">{value.parts.unit}</span> : null}
        </span>
        <span className="visually-hidden">{value?.exact ?? 'no data'}</span>
      </p>
      {note ? (
        <p className="kpi__note">{note}</p>
      ) : (
        <p className="kpi__detail">{value?.detail ?? '\u00a0'}</p>
      )}
      <div className="kpi__trend">
        <Sparkline
          className="kpi__spark"
          values={trend}
          minSpan={sparkSpan(value?.id, trend)}
          label={age ? `${label}, last hour` : `${label}, over the period`}
        />
        {age ? (
          <span className="kpi__change" title={change ? change.words : noChange}>
            {change ? (
              <>
                <span aria-hidden="true">{change.text}</span>
                <span className="visually-hidden">{change.words}</span>
              </>
            ) : (
              <span aria-label={noChange}>—</span>
            )}
            <span className="kpi__vs" aria-hidden="true">
              {' '}
              vs 1 h ago
            </span>
          </span>
        ) : null}
      </div>
    </li>
  );
}, sameTile);

function sameTile(a: KpiTileProps, b: KpiTileProps): boolean {
  return (
    sameValue(a.value, b.value) &&
    a.label === b.label &&
    a.note === b.note &&
    a.stale === b.stale &&
    a.noChange === b.noChange &&
    a.age === b.age &&
    a.change?.text === b.change?.text &&
    a.change?.words === b.change?.words &&
    sameValues(a.trend, b.trend)
  );
}

function sameValue(a: KpiValue | null, b: KpiValue | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.id === b.id &&
    a.exact === b.exact &&
    a.detail === b.detail &&
    a.parts.value === b.parts.value &&
    a.parts.unit === b.parts.unit
  );
}

/** A flat line for noise of under 0.2 % (0.1 point of online share). */
function sparkSpan(id: string | undefined, trend: readonly number[]): number {
  if (id === 'onlinePct') return 0.002;
  const known = trend.filter((v) => !Number.isNaN(v));
  const mid = known.length ? Math.abs(known.reduce((a, b) => a + b, 0) / known.length) : 1;
  return Math.max(mid * 0.004, 1e-9);
}

/** The age of the figures, measured from when this browser received them. */
function DataAge() {
  const { ageMs } = useFreshness(useLive());
  return (
    <span className="kpi__age" title="Age of these figures, from when this browser received them">
      {ageMs === null ? '' : formatAge(ageMs)}
    </span>
  );
}
