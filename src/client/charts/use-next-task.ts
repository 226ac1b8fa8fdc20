import { startTransition, useEffect, useState } from 'react';

/** Runs `fn` in a task of its own, soon; unlike a timer, not held back in a background tab. */
function inNextTask(fn: () => void): () => void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    fn();
  };
  channel.port2.postMessage(null);
  return () => channel.port1.close();
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
