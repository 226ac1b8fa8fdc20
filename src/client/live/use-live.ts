import { createContext, useContext, useSyncExternalStore } from 'react';
import type { LiveConnection, LiveSnapshot } from './connection.ts';
import { freshness, type Freshness } from './freshness.ts';
import { useNow } from './use-now.ts';

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

/** The age of the latest tick, re-evaluated every second so "N s ago" and staleness move. */
export function useFreshness(snap: LiveSnapshot): Freshness {
  return freshness(snap, useNow());
}
