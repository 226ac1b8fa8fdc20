import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import { parseUrlState, subscribeToUrl, type UrlState } from './url-state.ts';

const getSearch = (): string => window.location.search;
const noSubscribe = () => () => {};

/**
 * A query string that a part of the page follows instead of the address bar's: the page's
 * heavier parts follow a navigation one render later (app.tsx), so inside them every reader of
 * the URL agrees with the props they were given.
 */
export const LaterSearch = createContext<string | null>(null);

/** The raw query string; re-renders on back/forward and on `navigate`. */
export function useSearch(): string {
  const later = useContext(LaterSearch);
  const now = useSyncExternalStore(
    later === null ? subscribeToUrl : noSubscribe,
    later === null ? getSearch : () => later,
  );
  return later ?? now;
}

/** The URL's state, parsed. */
export function useUrlState(): UrlState {
  const search = useSearch();
  return useMemo(() => parseUrlState(search), [search]);
}
