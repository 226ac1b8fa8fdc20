import { describe, expect, it } from 'vitest';
import { childSortChange, parseChildOrder, sortChildren } from './child-sort.ts';

const fig = (devices: number, online: number, offline: number, flowRate = 0) => ({
  devices,
  online,
  degraded: devices - online - offline,
  offline,
  flowRate,
});
const rows = [
  { id: 'a', name: 'Africa', figures: fig(100, 90, 10, 5) },
  { id: 'b', name: 'Americas', figures: fig(200, 198, 2, 50) },
  { id: 'c', name: 'Asia', figures: undefined },
  { id: 'e', name: 'Europe', figures: fig(50, 40, 5, 20) },
  { id: 'o', name: 'Oceania', figures: fig(0, 0, 0) },
];
const names = (r: readonly { name: string }[]) => r.map((x) => x.name);

describe('children table order', () => {
  it('puts the worst online share first, places without data last', () => {
    expect(names(sortChildren(rows, parseChildOrder('')))).toEqual([
      'Europe',
      'Africa',
      'Americas',
      'Asia',
      'Oceania',
    ]);
  });

  it('sorts by a column either way, and keeps the choice in the URL', () => {
    const byFlow = parseChildOrder('?csort=flow&corder=desc');
    expect(names(sortChildren(rows, byFlow)).slice(0, 3)).toEqual(['Americas', 'Europe', 'Africa']);
    expect(names(sortChildren(rows, { sort: 'name', order: 'desc' }))[0]).toBe('Oceania');
    expect(childSortChange(byFlow, 'flow')).toEqual({ csort: 'flow', corder: null });
    expect(childSortChange({ sort: 'online', order: 'desc' }, 'online')).toEqual({
      csort: null,
      corder: null,
    });
    expect(parseChildOrder('?csort=colour')).toEqual({ sort: 'online', order: 'asc' });
  });
});
