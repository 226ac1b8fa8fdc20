import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from './device-snapshot.ts';
import { SnapshotCache } from './snapshot-cache.ts';

function snapshotOf(rows: number) {
  const b = new SnapshotBuilder();
  for (let i = 0; i < rows; i++) {
    b.add({
      from: 0,
      index: i,
      generation: 0,
      site: 0,
      tech: 0,
      cls: 0,
      status: 1,
      since: i,
      lastSeen: i,
      rate: 1,
    });
  }
  return b.build(
    0,
    'since',
    'asc',
    (_, i) => `d-${i}`,
    () => 'site',
  );
}

describe('SnapshotCache', () => {
  it('keeps a snapshot while it is read, and lets it go 5 minutes after the last read', () => {
    const cache = new SnapshotCache(300_000, 8);
    const { key } = cache.put(snapshotOf(3), 'q', 0);
    expect(cache.get(key, 200_000)).not.toBeNull();
    expect(cache.get(key, 450_000)).not.toBeNull(); // 250 s after the last read
    expect(cache.get(key, 750_001)).toBeNull();
  });

  it('drops the least recently read when too many snapshots or rows are open', () => {
    const cache = new SnapshotCache(300_000, 2, 10);
    const a = cache.put(snapshotOf(4), 'a', 0);
    const b = cache.put(snapshotOf(4), 'b', 1);
    cache.get(a.key, 2); // a is now the most recently read
    cache.put(snapshotOf(1), 'c', 3); // two open at most: b goes
    expect(cache.get(b.key, 4)).toBeNull();
    expect(cache.get(a.key, 4)).not.toBeNull();
    cache.put(snapshotOf(8), 'd', 5); // 4 + 1 + 8 rows > 10: the oldest go until it fits
    expect(cache.size).toBe(1);
  });
});
