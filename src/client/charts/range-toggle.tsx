import { ParamToggle, type ToggleOption } from '../app/param-toggle.tsx';
import { LIVE_RANGES, type LiveRange } from '../app/url-state.ts';

const OPTIONS: readonly ToggleOption<LiveRange>[] = (Object.keys(LIVE_RANGES) as LiveRange[]).map(
  (r) => ({
    value: r,
    label: LIVE_RANGES[r].short,
    name: LIVE_RANGES[r].label,
    title: `${LIVE_RANGES[r].label}, continued live`,
  }),
);

/** The charts' live window, kept in the URL (?range=6h). */
export function RangeToggle({ range }: { range: LiveRange }) {
  return (
    <ParamToggle
      label="Chart window"
      param="range"
      options={OPTIONS}
      value={range}
      defaultValue="1h"
    />
  );
}
