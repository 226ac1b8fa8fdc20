import { navigate, withParams } from './url-state.ts';
import { useSearch } from './use-url-state.ts';

export interface ToggleOption<T extends string> {
  value: T;
  label: string;
  /** Accessible name, when the label alone is too terse ("bytes per second" for "B/s"). */
  name?: string;
  /** Tooltip: what choosing it does. */
  title: string;
}

interface ParamToggleProps<T extends string> {
  /** The group's accessible name: "Data-rate units". */
  label: string;
  /** The URL parameter that keeps the choice. */
  param: string;
  options: readonly ToggleOption<T>[];
  value: T;
  /** The value that needs no parameter: choosing it removes the parameter from the URL. */
  defaultValue: T;
}

/** A small group of pressed/not-pressed buttons whose choice is kept in the URL. */
export function ParamToggle<T extends string>({
  label,
  param,
  options,
  value,
  defaultValue,
}: ParamToggleProps<T>) {
  const search = useSearch();
  return (
    <div className="toggle" role="group" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={value === o.value}
          aria-label={o.name}
          title={o.title}
          onClick={() =>
            navigate(withParams(search, { [param]: o.value === defaultValue ? null : o.value }))
          }
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
