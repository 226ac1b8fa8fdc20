import { DEVICE_CLASSES } from '../../protocol/dimensions.ts';
import type { RateUnit } from '../format/numbers.ts';
import { useLive } from '../live/use-live.ts';
import { Breakdown } from './breakdown.tsx';
import { CLASS_NAMES } from './dimension-names.ts';

/** Devices and online share per device class, live from the tick. */
export function ClassBreakdown({ units }: { units: RateUnit }) {
  const { tick } = useLive();
  return (
    <Breakdown
      title="By device class"
      label="Devices by device class"
      keys={DEVICE_CLASSES}
      names={CLASS_NAMES}
      figures={tick?.breakdown.class}
      units={units}
    />
  );
}
