import { DEVICE_CLASSES, TECHNOLOGIES } from '../../protocol/dimensions.ts';

/**
 * Live figures are kept per cell = (site, technology, class). Cell index:
 * site * CELLS_PER_SITE + tech * CLASS_COUNT + cls. Scope and filter figures are sums of cells.
 */
export const TECH_COUNT = TECHNOLOGIES.length;
export const CLASS_COUNT = DEVICE_CLASSES.length;
export const CELLS_PER_SITE = TECH_COUNT * CLASS_COUNT;

/** Traffic arrays interleave three figures per cell. */
export const TRAFFIC_FIELDS = 3;
export const MSGS = 0;
export const BYTES_IN = 1;
export const BYTES_OUT = 2;

export function cellIndex(site: number, tech: number, cls: number): number {
  return site * CELLS_PER_SITE + tech * CLASS_COUNT + cls;
}

/** Device counts per cell, weighted (a simulated cohort counts as many devices). */
export interface CellCounts {
  devices: Float64Array;
  online: Float64Array;
  degraded: Float64Array;
}

export function allocCounts(cells: number): CellCounts {
  return {
    devices: new Float64Array(cells),
    online: new Float64Array(cells),
    degraded: new Float64Array(cells),
  };
}

/** Moves weight between statuses (0 absent, 1 online, 2 degraded, 3 offline) in a cell. */
export function applyStatusToCounts(
  c: CellCounts,
  cell: number,
  from: number,
  to: number,
  weight: number,
): void {
  if (from === to) return;
  if (from === 0) c.devices[cell]! += weight;
  else if (from === 1) c.online[cell]! -= weight;
  else if (from === 2) c.degraded[cell]! -= weight;
  if (to === 0) c.devices[cell]! -= weight;
  else if (to === 1) c.online[cell]! += weight;
  else if (to === 2) c.degraded[cell]! += weight;
}
