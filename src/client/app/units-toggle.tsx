import type { RateUnit } from '../format/numbers.ts';
import { ParamToggle, type ToggleOption } from './param-toggle.tsx';

const OPTIONS: readonly ToggleOption<RateUnit>[] = [
  {
    value: 'bytes',
    label: 'B/s',
    name: 'bytes per second',
    title: 'Show data rates in bytes per second',
  },
  {
    value: 'bits',
    label: 'b/s',
    name: 'bits per second',
    title: 'Show data rates in bits per second',
  },
];

/** Data rates in bytes or bits per second; the choice is kept in the URL (?units=bits). */
export function UnitsToggle({ units }: { units: RateUnit }) {
  return (
    <ParamToggle
      label="Data-rate units"
      param="units"
      options={OPTIONS}
      value={units}
      defaultValue="bytes"
    />
  );
}
