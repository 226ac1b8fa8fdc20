import { DEVICE_CLASSES, REGIONS, TECHNOLOGIES } from '../../protocol/dimensions.ts';
import { CELLS_PER_SITE, cellIndex } from '../aggregate/cells.ts';
import { rng } from '../core/random.ts';
import type { Site } from '../sites/catalog.ts';
import { CLASS_TECH_AFFINITY, REGION_CLASS_MIX, REGION_TECH_BIAS } from './profiles.ts';

/**
 * The simulated fleet as columns: device i lives at site[i] with tech[i] and cls[i]. Devices
 * are laid out in site order, so the devices of any scope are one index range.
 */
export interface Fleet {
  size: number;
  site: Uint16Array;
  tech: Uint8Array;
  cls: Uint8Array;
  /** First device index of each site; siteStart[sites.length] === size. */
  siteStart: Int32Array;
}

/** Share of the fleet spread evenly over sites, so that every city on the map has devices. */
const EVEN_SHARE = 0.15;

function pick(weights: readonly number[], r: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = r * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** Places `size` devices over `sites`, weighted by population; deterministic for a seed. */
export function generateFleet(sites: readonly Site[], size: number, seed: number): Fleet {
  const random = rng(seed ^ 0x51f1ee7);
  const perSite = new Int32Array(sites.length);
  const even = Math.floor((size * EVEN_SHARE) / sites.length);
  perSite.fill(even);
  const cumulative = new Float64Array(sites.length);
  let total = 0;
  sites.forEach((s, i) => {
    total += s.population;
    cumulative[i] = total;
  });
  for (let n = size - even * sites.length; n > 0; n--) {
    const x = random() * total;
    let lo = 0;
    let hi = sites.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    perSite[lo]!++;
  }

  // Technology weights per (region, class), computed once.
  const techWeights = REGIONS.map((region) =>
    DEVICE_CLASSES.map((cls) =>
      TECHNOLOGIES.map((_, t) => CLASS_TECH_AFFINITY[cls][t]! * REGION_TECH_BIAS[region][t]!),
    ),
  );

  const fleet: Fleet = {
    size,
    site: new Uint16Array(size),
    tech: new Uint8Array(size),
    cls: new Uint8Array(size),
    siteStart: new Int32Array(sites.length + 1),
  };
  let d = 0;
  sites.forEach((s, i) => {
    fleet.siteStart[i] = d;
    const region = REGIONS.indexOf(s.region);
    const classMix = REGION_CLASS_MIX[s.region];
    for (let k = 0; k < perSite[i]!; k++, d++) {
      const c = pick(classMix, random());
      fleet.site[d] = i;
      fleet.cls[d] = c;
      fleet.tech[d] = pick(techWeights[region]![c]!, random());
    }
  });
  fleet.siteStart[sites.length] = d;
  return fleet;
}

/** Each device's cell, and the cells that hold any device (ascending): traffic is made for those. */
export function fleetCells(
  fleet: Fleet,
  siteCount: number,
): { cellOf: Int32Array; used: Int32Array } {
  const cellOf = new Int32Array(fleet.size);
  const seen = new Uint8Array(siteCount * CELLS_PER_SITE);
  for (let d = 0; d < fleet.size; d++) {
    const c = cellIndex(fleet.site[d]!, fleet.tech[d]!, fleet.cls[d]!);
    cellOf[d] = c;
    seen[c] = 1;
  }
  const list: number[] = [];
  seen.forEach((u, c) => u && list.push(c));
  return { cellOf, used: Int32Array.from(list) };
}
