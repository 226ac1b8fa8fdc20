import { describe, expect, it } from 'vitest';
import { freshness } from './freshness.ts';

describe('freshness', () => {
  const received = { receivedAt: 1_700_000_000_000, receivedMono: 5_000, tickMs: 1000 };

  it('has no age before the first tick', () => {
    expect(freshness({ receivedAt: null, receivedMono: null, tickMs: 1000 }, 9_000)).toEqual({
      ageMs: null,
      stale: false,
      staleSince: null,
    });
  });

  it('is fresh up to three tick intervals and stale after', () => {
    expect(freshness(received, 8_000)).toEqual({ ageMs: 3_000, stale: false, staleSince: null });
    expect(freshness(received, 8_001)).toEqual({
      ageMs: 3_001,
      stale: true,
      staleSince: 1_700_000_000_000,
    });
  });

  it('follows the tick interval', () => {
    expect(freshness({ ...received, tickMs: 5_000 }, 19_000).stale).toBe(false);
    expect(freshness({ ...received, tickMs: 250 }, 6_000).stale).toBe(true);
  });
});
