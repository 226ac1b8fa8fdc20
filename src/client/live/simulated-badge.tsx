import { useLive } from './use-live.ts';

/** Anything from the built-in simulator is badged as such, also when mixed with real devices. */
export function SimulatedBadge() {
  const { tick } = useLive();
  if (!tick?.simulated) return null;
  const mixed = tick.real === true;
  return (
    <span
      className="badge badge--simulated"
      title={
        mixed
          ? 'Some of these figures come from the built-in fleet simulator, the rest from real devices'
          : 'These figures come from the built-in fleet simulator, not from real devices'
      }
    >
      {mixed ? 'Includes simulated data' : 'Simulated data'}
    </span>
  );
}
