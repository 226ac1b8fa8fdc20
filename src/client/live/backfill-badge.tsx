import { useSyncExternalStore } from 'react';
import { useLiveConnection } from './use-live.ts';

/**
 * Shown while the server is still writing the history it missed (TickPayload.backfill): until
 * then a chart of the past may have gaps, which fill as the charts read them again.
 */
export function BackfillBadge() {
  const connection = useLiveConnection();
  // Whole percent (-1: none), so it re-renders when its figure changes, not per tick. Only
  // while connected: the last tick of a server that has gone says nothing of it now.
  const percent = useSyncExternalStore(connection.subscribe, () => {
    const { state, tick } = connection.getSnapshot();
    const share = tick?.backfill;
    return share === undefined || state !== 'live' ? -1 : Math.floor(share * 100);
  });
  if (percent < 0) return null;
  return (
    <span
      className="badge badge--backfill"
      title="The server is writing the history it missed, newest first. Until it is done, charts of the past may show gaps; they fill in by themselves."
    >
      Back-filling history · {percent} %
    </span>
  );
}
