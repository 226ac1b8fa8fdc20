import { TECHNOLOGIES } from '../../protocol/dimensions.ts';
import type { PeriodPlaces } from '../history/use-period-places.ts';
import { useLive } from '../live/use-live.ts';
import { Breakdown, pastState } from './breakdown.tsx';
import { TECH_NAMES } from './dimension-names.ts';

/** Devices and online share per connectivity technology: live from the tick, or over a past period. */
export function TechBreakdown({ past = null }: { past?: PeriodPlaces | null }) {
  const { tick } = useLive();
  return (
    <Breakdown
      title="By technology"
      label="Devices by technology"
      keys={TECHNOLOGIES}
      names={TECH_NAMES}
      figures={past ? past.data?.breakdown?.tech : tick?.breakdown.tech}
      past={pastState(past)}
    />
  );
}
