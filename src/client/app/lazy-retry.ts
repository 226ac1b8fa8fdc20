import { lazy, type ComponentType } from 'react';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * React.lazy for a page that must not break when the server is away: a chunk that cannot be
 * fetched (the server restarting while the page starts) is fetched again with backoff instead
 * of throwing, so the rest of the page keeps running and the part appears once it loads.
 */
// The constraint is React.lazy's own (`ComponentType<any>`): props stay typed through T.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyWithRetry<T extends ComponentType<any>>(
  load: () => Promise<{ default: T }>,
  maxDelayMs = 10_000,
) {
  return lazy(async () => {
    for (let delay = 500; ; delay = Math.min(maxDelayMs, delay * 2)) {
      try {
        return await load();
      } catch (err) {
        console.warn('retrying a part of the page that did not load', err);
        await wait(delay);
      }
    }
  });
}
