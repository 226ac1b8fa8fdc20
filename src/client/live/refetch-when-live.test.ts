import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from './connection.ts';
import { refetchFailedWhenLive, type ConnectionStateSource } from './refetch-when-live.ts';

function stateSource(initial: ConnectionState) {
  const listeners = new Set<() => void>();
  let snap = { state: initial };
  const source: ConnectionStateSource = {
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => snap,
  };
  const set = (state: ConnectionState) => {
    snap = { state };
    for (const l of listeners) l();
  };
  return { source, set };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A query on screen (an observer is subscribed) whose fetches answer from `answers` in turn. */
async function watched(client: QueryClient, key: string, answers: (() => string)[]) {
  const fn = vi.fn(() => Promise.resolve().then(answers.shift() ?? (() => 'later')));
  const observer = new QueryObserver(client, { queryKey: [key], queryFn: fn, retry: false });
  cleanups.push(observer.subscribe(() => {}));
  await vi.waitFor(() => expect(observer.getCurrentResult().isFetching).toBe(false));
  return { fn, observer };
}

const fail = () => {
  throw new Error('server unreachable');
};

describe('refetchFailedWhenLive', () => {
  it('fetches a failed query again when the connection comes back, and only then', async () => {
    const client = new QueryClient();
    const { source, set } = stateSource('live');
    cleanups.push(refetchFailedWhenLive(source, client));
    const scopes = await watched(client, 'scopes', [fail, () => 'tree']);
    const fine = await watched(client, 'fine', [() => 'ok']);
    expect(scopes.observer.getCurrentResult().status).toBe('error');

    set('live'); // a tick, not a reconnect
    set('reconnecting');
    expect(scopes.fn).toHaveBeenCalledTimes(1);

    set('live');
    await vi.waitFor(() => expect(scopes.observer.getCurrentResult().data).toBe('tree'));
    expect(scopes.fn).toHaveBeenCalledTimes(2);
    expect(fine.fn).toHaveBeenCalledTimes(1); // what loaded is not fetched again
  });

  it('covers the first connect too, and leaves queries no longer on screen alone', async () => {
    const client = new QueryClient();
    const { source, set } = stateSource('connecting');
    cleanups.push(refetchFailedWhenLive(source, client));
    const shown = await watched(client, 'shown', [fail, () => 'back']);
    const gone = await watched(client, 'gone', [fail, () => 'unused']);
    cleanups.pop()?.(); // `gone`'s component unmounted

    set('live');
    await vi.waitFor(() => expect(shown.observer.getCurrentResult().data).toBe('back'));
    expect(gone.fn).toHaveBeenCalledTimes(1);
  });
});
