import { formatAge, formatClock } from '../format/time.ts';
import { useFreshness, useLive } from './use-live.ts';

/** A lost server shows as lost, not as frozen: a banner across the page while it is away. */
export function OfflineBanner() {
  const live = useLive();
  const { ageMs, staleSince } = useFreshness(live);
  if (live.state !== 'offline' && staleSince === null) return null;
  const cause =
    live.state === 'offline'
      ? 'The server is unreachable; retrying.'
      : live.state === 'live'
        ? 'Connected, but the server sends no figures.'
        : 'Connection lost; reconnecting.';
  const since =
    staleSince !== null && ageMs !== null
      ? ` Figures below are from ${formatClock(staleSince)} (${formatAge(ageMs)} ago).`
      : '';
  return (
    <div className="banner" data-state={live.state}>
      <strong>No live data.</strong> {cause}
      {since}
    </div>
  );
}
