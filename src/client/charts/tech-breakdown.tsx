import { TECHNOLOGIES } from '../../protocol/dimensions.ts';
import type { RateUnit } from '../format/numbers.ts';
import { useLive } from '../live/use-live.ts';
import { Breakdown } from './breakdown.tsx';
import { TECH_NAMES } from './dimension-names.ts';

/** Devices and online share per connectivity technology, live from the tick. */
export function TechBreakdown({ units }: { units: RateUnit }) {
  const { tick } = useLive();
  return (
    <Breakdown
      title="By technology"
      label="Devices by technology"
      keys={TECHNOLOGIES}
      names={TECH_NAMES}
      figures={tick?.breakdown.tech}
      units={units}
    />
  );
}
