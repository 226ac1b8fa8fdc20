import type { RateUnit } from '../format/numbers.ts';
import { navigate, withParams } from './url-state.ts';
import { useSearch } from './use-url-state.ts';

const OPTIONS: readonly [RateUnit, string, string][] = [
  ['bytes', 'B/s', 'bytes per second'],
  ['bits', 'b/s', 'bits per second'],
];

/** Data rates in bytes or bits per second; the choice is kept in the URL (?units=bits). */
export function UnitsToggle({ units }: { units: RateUnit }) {
  const search = useSearch();
  return (
    <div className="toggle" role="group" aria-label="Data-rate units">
      {OPTIONS.map(([value, label, long]) => (
        <button
          key={value}
          type="button"
          aria-pressed={units === value}
          aria-label={long}
          title={`Show data rates in ${long}`}
          onClick={() => navigate(withParams(search, { units: value === 'bits' ? 'bits' : null }))}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
