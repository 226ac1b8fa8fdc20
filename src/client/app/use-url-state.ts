import { useMemo, useSyncExternalStore } from 'react';
import { parseUrlState, subscribeToUrl, type UrlState } from './url-state.ts';

const getSearch = (): string => window.location.search;

/** The raw query string; re-renders on back/forward and on `navigate`. */
export function useSearch(): string {
  return useSyncExternalStore(subscribeToUrl, getSearch);
}

/** The URL's state, parsed. */
export function useUrlState(): UrlState {
  const search = useSearch();
  return useMemo(() => parseUrlState(search), [search]);
}
