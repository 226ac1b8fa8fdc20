import { useSyncExternalStore } from 'react';

// One shared one-second clock: every "N s ago" on screen moves in the same render, so two
// places never disagree by a second. The interval runs only while someone is listening.
const listeners = new Set<() => void>();
let now = performance.now();
let timer: ReturnType<typeof setInterval> | undefined;

/** Listens to the shared clock (for a store that also depends on the time). */
export function subscribeToClock(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = performance.now();
    timer = setInterval(() => {
      now = performance.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The clock's time as of its last beat. */
export const clockNow = (): number => now;

/** The monotonic browser clock (performance.now()), updated every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribeToClock, clockNow);
}
