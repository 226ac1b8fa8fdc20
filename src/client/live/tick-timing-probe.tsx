import { useEffect, useLayoutEffect } from 'react';
import { noteTickCommitted, noteTickSettled } from './tick-timing.ts';
import { useLive } from './use-live.ts';

/**
 * Rendered after the app, as the root's last child (only with `?bench=1`): React runs layout
 * effects, and then passive effects, in tree order, so this one's run after every effect of the
 * app for the same commit. A tick is a synchronous update (useSyncExternalStore), so its commit
 * and passive effects run in the task that received it; the microtask comes after both and
 * after any render those effects caused.
 */
export function TickTimingProbe() {
  const { tick } = useLive();
  useLayoutEffect(() => {
    if (tick) noteTickCommitted(tick);
  }, [tick]);
  useEffect(() => {
    if (tick) queueMicrotask(() => noteTickSettled(tick));
  }, [tick]);
  return null;
}
