import type { QueryClient } from '@tanstack/react-query';
import type { ConnectionState } from './connection.ts';

/** The part of LiveConnection this needs: its state and a change listener. */
export interface ConnectionStateSource {
  subscribe(listener: () => void): () => void;
  getSnapshot(): { readonly state: ConnectionState };
}

/**
 * When the live connection comes (back) up, fetches again every query on screen that gave up.
 * A query retries a few times over seconds; a server restart can outlast that, and without this
 * a part of the page (the scope tree the map needs, say) would stay failed until a reload, which
 * on a wall nobody does. The socket being live is the sign that the server answers again.
 * Returns the unsubscribe.
 */
export function refetchFailedWhenLive(
  connection: ConnectionStateSource,
  queryClient: QueryClient,
): () => void {
  let wasLive = connection.getSnapshot().state === 'live';
  return connection.subscribe(() => {
    const live = connection.getSnapshot().state === 'live';
    if (live && !wasLive) {
      void queryClient.refetchQueries({
        type: 'active',
        predicate: (query) => query.state.status === 'error',
      });
    }
    wasLive = live;
  });
}
