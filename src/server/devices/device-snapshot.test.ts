import { describe, expect, it } from 'vitest';
import type { DeviceSort } from '../../protocol/device-list.ts';
import { SnapshotBuilder } from './device-snapshot.ts';

const NaN_ = Number.NaN;
// index, status (1 online, 2 degraded, 3 offline), since, rate
const ROWS: [number, number, number, number][] = [
  [0, 1, 500, 10],
  [1, 3, 300, 0],
  [2, 3, NaN_, 0],
  [3, 2, 100, 5],
  [4, 1, NaN_, NaN_],
  [5, 3, 300, 0],
];

function order(sort: DeviceSort, dir: 'asc' | 'desc'): number[] {
  const b = new SnapshotBuilder(2); // grows past its first capacity
  for (const [index, status, since, rate] of ROWS) {
    b.add({
      from: 0,
      index,
      generation: 0,
      site: index % 2,
      tech: index % 3,
      cls: 0,
      status,
      since,
      lastSeen: since,
      rate,
    });
  }
  const s = b.build(
    1000,
    sort,
    dir,
    (cols, i) => `d-${cols.index[i]}`,
    (site) => (site ? 'Lyon' : 'Berlin'),
  );
  return [...s.rows].map((r) => s.index[r]!);
}

describe('device snapshot order', () => {
  it('puts the worst status first, and within it the longest in it (unknown = before watching)', () => {
    expect(order('status', 'asc')).toEqual([2, 1, 5, 3, 4, 0]);
    expect(order('status', 'desc')).toEqual([0, 4, 3, 1, 5, 2]); // ties stay in fleet order
  });

  it('sorts start times with unknown ones first ascending, last descending; ties by place', () => {
    expect(order('since', 'asc')).toEqual([2, 4, 3, 1, 5, 0]);
    expect(order('since', 'desc')).toEqual([0, 1, 5, 3, 2, 4]);
  });

  it('keeps unknown rates last either way, and sorts sites by name', () => {
    expect(order('rate', 'desc')).toEqual([0, 3, 1, 2, 5, 4]);
    expect(order('rate', 'asc')).toEqual([1, 2, 5, 3, 0, 4]);
    expect(order('site', 'asc')).toEqual([0, 2, 4, 1, 3, 5]);
    expect(order('id', 'desc')).toEqual([5, 4, 3, 2, 1, 0]);
  });
});
