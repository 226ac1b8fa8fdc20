import { describe, expect, it } from 'vitest';
import { RECENT_BUCKETS, RECENT_STEP_MS, RecentTraffic } from './recent-traffic.ts';

const H = 3_600_000;
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % RECENT_STEP_MS); // a bucket boundary

function make(): RecentTraffic {
  const r = new RecentTraffic();
  r.resize(4);
  return r;
}

describe('RecentTraffic', () => {
  it('has nothing for a device not counted yet', () => {
    expect(make().read(0, T0)).toBeNull();
  });

  it('spreads a report over the seconds since the previous one', () => {
    const r = make();
    // 600 s of traffic, 600,000 bytes, across two buckets: 1,000 B/s in each.
    r.add(1, T0 - RECENT_STEP_MS, T0 + RECENT_STEP_MS, 600_000);
    const s = r.read(1, T0 + RECENT_STEP_MS)!;
    expect(s.t).toHaveLength(RECENT_BUCKETS);
    expect(s.t.at(-1)).toBe(T0 + RECENT_STEP_MS);
    // The bucket holding `now` has no report in it yet.
    expect(s.rate.at(-1)).toBeNull();
    expect(s.rate.at(-2)).toBeCloseTo(1000, 3);
    expect(s.rate.at(-3)).toBeCloseTo(1000, 3);
    // Before the first report's span the server did not know: no figure, not zero.
    expect(s.rate.slice(0, -3).every((v) => v === null)).toBe(true);
    expect(r.read(0, T0 + RECENT_STEP_MS)).toBeNull();
  });

  it('averages the current bucket over the part its reports cover', () => {
    const r = make();
    r.add(0, T0, T0 + 60_000, 60_000);
    expect(r.read(0, T0 + 90_000)!.rate.at(-1)).toBeCloseTo(1000, 3);
  });

  it('knows nothing after the latest report: a silent stretch is no figure, not zero', () => {
    const r = make();
    r.add(0, T0, T0 + 60_000, 60_000);
    const s = r.read(0, T0 + 2 * RECENT_STEP_MS + 1000)!;
    expect(s.rate.slice(-3)).toEqual([expect.closeTo(1000, 3), null, null]);
  });

  it('forgets what is older than an hour; a report after a gap spreads over the gap', () => {
    const r = make();
    r.add(0, T0 - RECENT_STEP_MS, T0, 300_000);
    // The next report comes two hours later and covers all of it: 300 B/s throughout.
    r.add(0, T0, T0 + 2 * H, 300 * 2 * 3600);
    const later = r.read(0, T0 + 2 * H + 1000)!;
    expect(later.t[0]).toBe(T0 + 2 * H - (RECENT_BUCKETS - 1) * RECENT_STEP_MS);
    expect(later.rate.slice(0, -1).every((v) => Math.abs(v! - 300) < 1e-3)).toBe(true);
    expect(later.rate.at(-1)).toBeNull();
  });

  it('keeps the in-window part of a late report and drops the rest', () => {
    const r = make();
    r.add(0, T0 + H - 1000, T0 + H, 1000);
    // Ends two hours before the newest bucket: outside the ring, ignored.
    r.add(0, T0 - H - 2000, T0 - H, 5000);
    // Half of this one falls inside the ring's first bucket.
    const first = T0 + H - (RECENT_BUCKETS - 1) * RECENT_STEP_MS;
    r.add(0, first - 100_000, first + 100_000, 200_000);
    const s = r.read(0, T0 + H)!;
    expect(s.t[0]).toBe(first);
    expect(s.rate[0]).toBeCloseTo(100_000 / (RECENT_STEP_MS / 1000), 3);
  });

  it('keeps slots apart when the table grows', () => {
    const r = make();
    r.add(3, T0, T0 + 1000, 1000);
    r.resize(10);
    r.add(9, T0, T0 + 1000, 7000);
    expect(r.read(3, T0 + 1000)!.rate.at(-1)).toBeCloseTo(1000, 3);
    expect(r.read(9, T0 + 1000)!.rate.at(-1)).toBeCloseTo(7000, 3);
  });
});
