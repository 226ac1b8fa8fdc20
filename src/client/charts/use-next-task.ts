import { startTransition, useEffect, useState } from 'react';

// One channel for the page: a message posted to it runs as a task of its own, soon, and unlike
// a timer it is not held back in a background tab.
let channel: MessageChannel | null = null;
const pending = new Set<() => void>();

/** Runs `fn` in a later task (with others queued meanwhile); returns a cancel. */
function inNextTask(fn: () => void): () => void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const due = [...pending];
      pending.clear();
      for (const f of due) f();
    };
  }
  if (pending.size === 0) channel.port2.postMessage(null);
  pending.add(fn);
  return () => pending.delete(fn);
}

/**
 * `value`, taken one task after it changes. Recharts takes a chart's new data in a passive
 * effect and redraws synchronously there, so two charts whose props change in one commit redraw
 * in one task: one long task where two of half the length would do. The second chart's props
 * go through this.
 */
export function useNextTask<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(shown, value)) return;
    return inNextTask(() => startTransition(() => setShown(() => value)));
  }, [value, shown]);
  return shown;
}
