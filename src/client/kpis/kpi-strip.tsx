import { useMemo } from 'react';
import type { RateUnit } from '../format/numbers.ts';
import { formatClock } from '../format/time.ts';
import { useFreshness, useLive } from '../live/use-live.ts';
import { KpiTile } from './kpi-tile.tsx';
import { kpiValues, type KpiValue } from './kpi-values.ts';

const LABELS: readonly [KpiValue['id'], string][] = [
  ['devices', 'Devices'],
  ['onlinePct', 'Online'],
  ['connected', 'Connected'],
  ['flow', 'Data flow'],
  ['messages', 'Messages/s'],
  ['offline', 'Offline'],
];

/** The headline figures of the current view, each tile marked when its data is stale. */
export function KpiStrip({ units }: { units: RateUnit }) {
  const live = useLive();
  const { stale, staleSince } = useFreshness(live);
  const kpis = live.tick?.kpis;
  // Formatted once per tick, not again on the freshness clock's renders in between.
  const values = useMemo(
    () => (kpis ? new Map(kpiValues(kpis, units).map((v) => [v.id, v])) : null),
    [kpis, units],
  );
  let note: string | null = null;
  if (stale && staleSince !== null) note = `Stale since ${formatClock(staleSince)}`;
  else if (!values)
    note = live.state === 'offline' ? 'No data: server unreachable' : 'Waiting for data…';

  return (
    <section className="kpis" aria-labelledby="kpis-heading">
      <h2 id="kpis-heading" className="visually-hidden">
        Key figures
      </h2>
      <ul className="kpi-strip">
        {LABELS.map(([id, label]) => (
          <KpiTile
            key={id}
            label={label}
            value={values?.get(id) ?? null}
            note={note}
            stale={stale}
          />
        ))}
      </ul>
    </section>
  );
}
