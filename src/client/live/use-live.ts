import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { LiveConnection, LiveSnapshot } from './connection.ts';
import { freshness, type Freshness } from './freshness.ts';
import { clockNow, subscribeToClock, useNow } from './use-now.ts';

export const LiveConnectionContext = createContext<LiveConnection | null>(null);

export function useLiveConnection(): LiveConnection {
  const connection = useContext(LiveConnectionContext);
  if (!connection) throw new Error('useLiveConnection needs a LiveConnectionContext provider');
  return connection;
}

/** The live connection's state; re-renders on every tick and state change. */
export function useLive(): LiveSnapshot {
  const connection = useLiveConnection();
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}

/**
 * Only the connection's state and error: re-renders when they change, not on every tick (the
 * page's root needs no more, and each of its renders reaches every child that is not memo'd).
 */
export function useLiveStatus(): Pick<LiveSnapshot, 'state' | 'error'> {
  const connection = useLiveConnection();
  const state = useSyncExternalStore(connection.subscribe, () => connection.getSnapshot().state);
  const error = useSyncExternalStore(connection.subscribe, () => connection.getSnapshot().error);
  return { state, error };
}

/** The age of the latest tick, re-evaluated every second so "N s ago" and staleness move. */
export function useFreshness(snap: LiveSnapshot): Freshness {
  return freshness(snap, useNow());
}

/**
 * When the figures went stale (the wall-clock time of the last tick), or null while they are
 * fresh. Re-renders only when that changes: not on every tick, nor on every beat of the clock,
 * so a part that only greys out when stale costs nothing per tick.
 */
export function useStaleSince(): number | null {
  const connection = useLiveConnection();
  const subscribe = useCallback(
    (listener: () => void) => {
      const offTicks = connection.subscribe(listener);
      const offClock = subscribeToClock(listener);
      return () => {
        offTicks();
        offClock();
      };
    },
    [connection],
  );
  // A number, so an unchanged answer is the same snapshot (-1: fresh).
  const since = useSyncExternalStore(
    subscribe,
    () => freshness(connection.getSnapshot(), clockNow()).staleSince ?? -1,
  );
  return since === -1 ? null : since;
}
