import { TIER_SECONDS, type Tier } from '../storage/store.ts';

/** Bucket lengths people read easily, in seconds. */
const NICE_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
  172_800, 604_800,
];
const COARSEST_FIRST: Tier[] = ['day', 'hour', 'min', 'sec'];

export interface Plan {
  tier: Tier;
  stepS: number;
  /** First bucket start (epoch seconds), a multiple of the step. */
  fromS: number;
  buckets: number;
}

/**
 * The resolution follows the range: the smallest readable step that keeps the buckets within
 * maxPoints, read from the coarsest tier that has that step's resolution and still holds data
 * back to `from`. `usable(tier, fromMs)` says whether a tier keeps this series that far back.
 */
export function planBuckets(
  fromMs: number,
  toMs: number,
  maxPoints: number,
  usable: (tier: Tier, fromMs: number) => boolean,
): Plan {
  const raw = (toMs - fromMs) / 1000 / maxPoints;
  const steps = [...NICE_STEPS];
  for (let k = 2; steps.at(-1)! < raw; k++) steps.push(604_800 * k);
  for (const stepS of steps) {
    if (stepS < raw) continue;
    for (const tier of COARSEST_FIRST) {
      if (stepS % TIER_SECONDS[tier] !== 0 || !usable(tier, fromMs)) continue;
      const fromS = Math.floor(fromMs / 1000 / stepS) * stepS;
      const buckets = Math.max(1, Math.ceil((toMs / 1000 - fromS) / stepS));
      if (buckets <= maxPoints) return { tier, stepS, fromS, buckets };
    }
  }
  // Nothing finer fits: whole days, as many as needed.
  const stepS = Math.ceil(raw / 86_400 + 1) * 86_400;
  const fromS = Math.floor(fromMs / 1000 / stepS) * stepS;
  return {
    tier: 'day',
    stepS,
    fromS,
    buckets: Math.max(1, Math.ceil((toMs / 1000 - fromS) / stepS)),
  };
}
