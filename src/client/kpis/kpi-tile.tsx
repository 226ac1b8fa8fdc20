import { memo } from 'react';
import type { KpiValue } from './kpi-values.ts';

interface KpiTileProps {
  value: KpiValue | null;
  label: string;
  /** Shown instead of the detail line: "Stale since 14:02:07 CET", "Waiting for data…". */
  note: string | null;
  stale: boolean;
}

/** One large figure; the exact value is in the title and, for screen readers, in the text. */
export const KpiTile = memo(function KpiTile({ value, label, note, stale }: KpiTileProps) {
  return (
    <li className="kpi" data-kpi={value?.id} data-stale={stale || undefined}>
      <h3 className="kpi__label">{label}</h3>
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
    </li>
  );
});
