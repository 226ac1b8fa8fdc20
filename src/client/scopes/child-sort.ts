import type { ScopeFigures } from './child-figures.ts';

/** Columns of the children table; worst first (lowest online share) by default. */
export const CHILD_SORTS = ['online', 'name', 'devices', 'offline', 'flow'] as const;
export type ChildSort = (typeof CHILD_SORTS)[number];

export interface ChildOrder {
  sort: ChildSort;
  order: 'asc' | 'desc';
}

/** ?csort=devices&corder=desc; the default needs neither. */
export function parseChildOrder(search: string): ChildOrder {
  const p = new URLSearchParams(search);
  const sort = p.get('csort');
  return {
    sort: (CHILD_SORTS as readonly string[]).includes(sort ?? '') ? (sort as ChildSort) : 'online',
    order: p.get('corder') === 'desc' ? 'desc' : 'asc',
  };
}

/** URL changes for a click on a column: a second click flips the order. */
export function childSortChange(o: ChildOrder, sort: ChildSort): Record<string, string | null> {
  const order = o.sort === sort && o.order === 'asc' ? 'desc' : 'asc';
  return {
    csort: sort === 'online' && order === 'asc' ? null : sort,
    corder: order === 'asc' ? null : order,
  };
}

interface Row {
  id: string;
  name: string;
  figures: ScopeFigures | undefined;
}

/**
 * Children in display order. Without figures (no data yet) or without devices a child has no
 * online share: it goes last whichever the order, so the worst places stay on top.
 */
export function sortChildren<T extends Row>(rows: readonly T[], o: ChildOrder): T[] {
  const sign = o.order === 'asc' ? 1 : -1;
  const value = (r: Row): number | null => {
    const f = r.figures;
    if (!f) return null;
    switch (o.sort) {
      case 'online':
        return f.devices > 0 ? f.online / f.devices : null;
      case 'devices':
        return f.devices;
      case 'offline':
        return f.offline;
      case 'flow':
        return f.flowRate;
      case 'name':
        return 0;
    }
  };
  return [...rows].sort((a, b) => {
    if (o.sort === 'name') return a.name.localeCompare(b.name) * sign;
    const x = value(a);
    const y = value(b);
    if (x === null || y === null)
      return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1;
    return (x - y) * sign || a.name.localeCompare(b.name);
  });
}
