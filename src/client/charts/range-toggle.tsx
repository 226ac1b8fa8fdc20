import { memo } from 'react';
import { navigate, withParams } from '../app/url-state.ts';
import { LIVE_RANGES, PAST_RANGES, type LiveRange, type PastRange } from '../app/url-state.ts';
import { useSearch } from '../app/use-url-state.ts';

type Choice = LiveRange | PastRange;
const CHOICES: readonly { value: Choice; short: string; label: string; live: boolean }[] = [
  ...(Object.keys(LIVE_RANGES) as LiveRange[]).map((r) => ({
    value: r,
    ...LIVE_RANGES[r],
    live: true,
  })),
  ...(Object.keys(PAST_RANGES) as PastRange[]).map((r) => ({
    value: r,
    ...PAST_RANGES[r],
    live: false,
  })),
];

/**
 * The time the page shows: a live window (continued by each tick) or a past range (history
 * only). `range` is null for a custom range from a link or a chart zoom.
 */
export const RangeToggle = memo(function RangeToggle({ live }: { live: boolean }) {
  const search = useSearch();
  const params = new URLSearchParams(search);
  const custom = params.has('from') || params.has('to');
  const range = custom ? null : (params.get('range') ?? '1h');
  const pick = (value: Choice) =>
    navigate(withParams(search, { range: value === '1h' ? null : value, from: null, to: null }));
  return (
    <div className="toggle" role="group" aria-label="Time range">
      {CHOICES.map((c) => (
        <button
          key={c.value}
          type="button"
          aria-pressed={range === c.value}
          aria-label={c.label}
          title={c.live ? `${c.label}, continued live` : `${c.label}, from history`}
          data-live={c.live || undefined}
          onClick={() => pick(c.value)}
        >
          {c.short}
        </button>
      ))}
      {!live ? (
        <button type="button" aria-pressed="false" onClick={() => pick('1h')}>
          Back to live
        </button>
      ) : null}
    </div>
  );
});
