import { DEVICE_CLASSES } from '../../protocol/dimensions.ts';
import type { PeriodPlaces } from '../history/use-period-places.ts';
import { useLive } from '../live/use-live.ts';
import { Breakdown, pastState } from './breakdown.tsx';
import { CLASS_NAMES } from './dimension-names.ts';

/** Devices and online share per device class: live from the tick, or over a past period. */
export function ClassBreakdown({ past = null }: { past?: PeriodPlaces | null }) {
  const { tick } = useLive();
  return (
    <Breakdown
      title="By device class"
      label="Devices by device class"
      keys={DEVICE_CLASSES}
      names={CLASS_NAMES}
      figures={past ? past.data?.breakdown?.class : tick?.breakdown.class}
      past={pastState(past)}
    />
  );
}
