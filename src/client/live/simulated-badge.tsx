import { useLive } from './use-live.ts';

/** Anything from the built-in simulator is badged as such. */
export function SimulatedBadge() {
  const { tick } = useLive();
  if (!tick?.simulated) return null;
  return (
    <span
      className="badge badge--simulated"
      title="These figures come from the built-in fleet simulator, not from real devices"
    >
      Simulated data
    </span>
  );
}
