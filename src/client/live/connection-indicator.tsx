import { formatAge, formatClock } from '../format/time.ts';
import type { ConnectionState } from './connection.ts';
import { useFreshness, useLive } from './use-live.ts';

type Shown = ConnectionState | 'stalled';

const LABELS: Record<Shown, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  stalled: 'Connected, no data',
  reconnecting: 'Reconnecting…',
  offline: 'Offline, retrying',
};

/**
 * Always on screen: the connection state (announced politely when it changes) and the age of
 * the latest tick by the browser's clock, which moves every second.
 */
export function ConnectionIndicator() {
  const live = useLive();
  const { ageMs, stale } = useFreshness(live);
  const shown: Shown = live.state === 'live' && stale ? 'stalled' : live.state;
  const age = ageMs === null ? 'no tick yet' : `last tick ${formatAge(ageMs)} ago`;
  const title = [
    live.receivedAt !== null ? `Last tick received ${formatClock(live.receivedAt)}` : null,
    live.serverVersion ? `server ${live.serverVersion}` : null,
    live.error ? `last error: ${live.error.message}` : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <div className="conn" data-state={shown} title={title || undefined}>
      <span className="conn__icon" aria-hidden="true" />
      <span className="conn__label" role="status">
        {LABELS[shown]}
      </span>
      <span className="conn__age">{age}</span>
    </div>
  );
}
