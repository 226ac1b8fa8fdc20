// Deterministic randomness. The simulator derives every draw from a hash of (seed, what, when),
// so the state at any time is a pure function of seed and clock, restarts included.

/** 32-bit finaliser (murmur3 fmix32). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixIn(h: number, v: number): number {
  // Integers beyond 32 bits (times, slot numbers) are folded in as two halves.
  const lo = v >>> 0;
  const hi = Math.floor(v / 4294967296) >>> 0;
  h = fmix(h ^ Math.imul(lo, 0xcc9e2d51));
  h = fmix((h + 0x9e3779b9) ^ Math.imul(hi, 0x1b873593));
  return h;
}

/** Hash of a seed and up to three non-negative integers, as an unsigned 32-bit integer. */
export function hash32(seed: number, a: number, b = 0, c = 0): number {
  let h = fmix(seed ^ 0x5bd1e995);
  h = mixIn(h, a);
  h = mixIn(h, b);
  h = mixIn(h, c);
  return h;
}

/** Uniform in [0, 1) from a seed and up to three integers. */
export function unit(seed: number, a: number, b = 0, c = 0): number {
  return hash32(seed, a, b, c) / 4294967296;
}

/** Turns any seed text into a 32-bit seed (FNV-1a). */
export function seedFrom(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded generator (mulberry32) for building fixed tables such as the fleet. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
