import { memo } from 'react';
import { DEVICE_CLASSES, STATUSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import { navigate, withParams } from '../app/url-state.ts';
import { useSearch, useUrlState } from '../app/use-url-state.ts';
import { CLASS_NAMES, TECH_NAMES } from '../charts/dimension-names.ts';
import './filters.css';

const STATUS_NAMES = { online: 'Online', degraded: 'Degraded', offline: 'Offline' } as const;

interface Chip {
  param: 'tech' | 'class' | 'status';
  value: string;
  label: string;
  /** What the filter applies to, for its tooltip. */
  scope: string;
}

/**
 * The page's filters as removable chips, and pickers to add one. Each filters everything on
 * the page: live figures, and the charts where history keeps them. Technology and class go to
 * the server with the view; status is applied in the browser (filters/status-view.ts).
 */
export const FilterBar = memo(function FilterBar({ readOnly = false }: { readOnly?: boolean }) {
  const search = useSearch();
  const { tech, cls, status } = useUrlState();
  const chips: Chip[] = [
    ...tech.map((t) => ({
      param: 'tech' as const,
      value: t,
      label: TECH_NAMES[t],
      scope: 'everything on the page',
    })),
    ...cls.map((c) => ({
      param: 'class' as const,
      value: c,
      label: CLASS_NAMES[c],
      scope: 'everything on the page',
    })),
    ...status.map((s) => ({
      param: 'status' as const,
      value: s,
      label: STATUS_NAMES[s],
      scope: 'everything on the page',
    })),
  ];
  const ignored = unknownValues(search);
  if (readOnly && chips.length === 0) return null;

  const listOf = (param: Chip['param']) =>
    chips.filter((c) => c.param === param).map((c) => c.value);
  const set = (param: Chip['param'], values: string[]) =>
    navigate(
      withParams(window.location.search, { [param]: values.length ? values.join(',') : null }),
    );
  const add = (param: Chip['param'], value: string) => {
    if (value && !listOf(param).includes(value)) set(param, [...listOf(param), value]);
  };
  const remove = (c: Chip) =>
    set(
      c.param,
      listOf(c.param).filter((v) => v !== c.value),
    );

  return (
    <div className="filters" role="group" aria-label="Filters">
      {readOnly ? null : (
        <>
          <Picker
            label="Technology"
            options={TECHNOLOGIES.filter((t) => !tech.includes(t)).map((t) => [t, TECH_NAMES[t]])}
            onPick={(v) => add('tech', v)}
          />
          <Picker
            label="Device class"
            options={DEVICE_CLASSES.filter((c) => !cls.includes(c)).map((c) => [c, CLASS_NAMES[c]])}
            onPick={(v) => add('class', v)}
          />
          <Picker
            label="Status"
            options={[...STATUSES]
              .reverse()
              .filter((s) => !status.includes(s))
              .map((s) => [s, STATUS_NAMES[s]])}
            onPick={(v) => add('status', v)}
          />
        </>
      )}
      {chips.length ? (
        <ul className="filters__chips" aria-label="Active filters">
          {chips.map((c) => (
            <li key={`${c.param}:${c.value}`} className="chip" title={`Filters ${c.scope}`}>
              <span className="chip__kind">{c.param === 'class' ? 'class' : c.param}</span>{' '}
              {c.label}
              {readOnly ? null : (
                <button
                  type="button"
                  onClick={() => remove(c)}
                  aria-label={`Remove filter ${c.label}`}
                >
                  ✕
                </button>
              )}
            </li>
          ))}
          {readOnly || chips.length < 2 ? null : (
            <li>
              <button
                type="button"
                className="filters__clear"
                onClick={() =>
                  navigate(withParams(search, { tech: null, class: null, status: null }))
                }
              >
                Clear all
              </button>
            </li>
          )}
        </ul>
      ) : (
        <span className="filters__none">No filter: all devices</span>
      )}
      {ignored.length && !readOnly ? (
        <p className="filters__ignored" role="status">
          Not a known filter, left out: {ignored.join(', ')}.{' '}
          <button
            type="button"
            onClick={() =>
              navigate(
                withParams(search, {
                  tech: tech.join(',') || null,
                  class: cls.join(',') || null,
                  status: status.join(',') || null,
                }),
              )
            }
          >
            Tidy the link
          </button>
        </p>
      ) : null}
    </div>
  );
});

/** Values of the filter parameters that name nothing Meridian knows (a mistyped link). */
export function unknownValues(search: string): string[] {
  const p = new URLSearchParams(search);
  const known: Record<string, readonly string[]> = {
    tech: TECHNOLOGIES,
    class: DEVICE_CLASSES,
    status: STATUSES,
  };
  return Object.entries(known).flatMap(([param, values]) =>
    (p.get(param) ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v && !values.includes(v))
      .map((v) => `${param}=${v}`),
  );
}

function Picker({
  label,
  options,
  onPick,
}: {
  label: string;
  options: [string, string][];
  onPick: (value: string) => void;
}) {
  return (
    <label className="filters__picker">
      <span className="visually-hidden">Add a {label.toLowerCase()} filter</span>
      <select value="" onChange={(e) => onPick(e.target.value)} disabled={options.length === 0}>
        <option value="">{label} +</option>
        {options.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
