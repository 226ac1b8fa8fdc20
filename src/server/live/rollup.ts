import {
  DEVICE_CLASSES,
  TECHNOLOGIES,
  type DeviceClass,
  type Technology,
} from '../../protocol/dimensions.ts';
import type { TickPayload } from '../../protocol/live.ts';
import { emptyKpis, type Kpis } from '../../protocol/metrics.ts';
import {
  allocSiteFigures,
  encodeSiteFigures,
  type SiteFigures,
} from '../../protocol/site-figures.ts';
import {
  CELLS_PER_SITE,
  CLASS_COUNT,
  TECH_COUNT,
  TRAFFIC_FIELDS,
  type CellCounts,
} from '../aggregate/cells.ts';
import type { ViewSpec } from './view-spec.ts';

const scratch = {
  figures: allocSiteFigures(0) as SiteFigures,
  tech: new Float64Array(TECH_COUNT * 6),
  cls: new Float64Array(CLASS_COUNT * 6),
};

function figuresFor(n: number): SiteFigures {
  if (scratch.figures.devices.length < n) scratch.figures = allocSiteFigures(n);
  return scratch.figures;
}

function kpisFrom(a: Float64Array, i: number, perSecond: number): Kpis {
  const devices = a[i]!;
  const online = a[i + 1]!;
  const degraded = a[i + 2]!;
  return {
    devices,
    online,
    degraded,
    offline: devices - online - degraded,
    msgRate: a[i + 3]! * perSecond,
    bytesInRate: a[i + 4]! * perSecond,
    bytesOutRate: a[i + 5]! * perSecond,
  };
}

/**
 * Sums the cells of a view into a tick: totals, per-technology and per-class breakdowns, and
 * every site of the scope (encoded). One pass over the scope's cells.
 */
export function buildTick(
  view: ViewSpec,
  counts: CellCounts,
  traffic: Float64Array,
  tickEnd: number,
  tickMs: number,
  simulated: boolean,
  real = false,
): TickPayload {
  const { siteStart, siteCount } = view.scope;
  const figures = figuresFor(siteCount);
  const tech = scratch.tech.fill(0);
  const cls = scratch.cls.fill(0);
  const { devices, online, degraded } = counts;
  for (let s = 0; s < siteCount; s++) {
    const base = (siteStart + s) * CELLS_PER_SITE;
    let sd = 0,
      so = 0,
      sg = 0,
      sflow = 0;
    for (let t = 0; t < TECH_COUNT; t++) {
      if ((view.techMask & (1 << t)) === 0) continue;
      for (let c = 0; c < CLASS_COUNT; c++) {
        if ((view.classMask & (1 << c)) === 0) continue;
        const cell = base + t * CLASS_COUNT + c;
        const d = devices[cell]!;
        const j = cell * TRAFFIC_FIELDS;
        const m = traffic[j]!;
        if (d === 0 && m === 0) continue;
        const o = online[cell]!;
        const g = degraded[cell]!;
        const bi = traffic[j + 1]!;
        const bo = traffic[j + 2]!;
        sd += d;
        so += o;
        sg += g;
        sflow += bi + bo;
        let k = t * 6;
        tech[k]! += d;
        tech[k + 1]! += o;
        tech[k + 2]! += g;
        tech[k + 3]! += m;
        tech[k + 4]! += bi;
        tech[k + 5]! += bo;
        k = c * 6;
        cls[k]! += d;
        cls[k + 1]! += o;
        cls[k + 2]! += g;
        cls[k + 3]! += m;
        cls[k + 4]! += bi;
        cls[k + 5]! += bo;
      }
    }
    figures.devices[s] = sd;
    figures.online[s] = so;
    figures.degraded[s] = sg;
    figures.offline[s] = sd - so - sg;
    figures.flowRate[s] = sflow;
  }
  const perSecond = 1000 / tickMs;
  for (let s = 0; s < siteCount; s++) figures.flowRate[s]! *= perSecond;

  const kpis = emptyKpis();
  const byTech: Partial<Record<Technology, Kpis>> = {};
  const byClass: Partial<Record<DeviceClass, Kpis>> = {};
  const totals = new Float64Array(6);
  TECHNOLOGIES.forEach((name, t) => {
    if ((view.techMask & (1 << t)) === 0) return;
    byTech[name] = kpisFrom(tech, t * 6, perSecond);
    for (let k = 0; k < 6; k++) totals[k]! += tech[t * 6 + k]!;
  });
  DEVICE_CLASSES.forEach((name, c) => {
    if ((view.classMask & (1 << c)) === 0) return;
    byClass[name] = kpisFrom(cls, c * 6, perSecond);
  });
  Object.assign(kpis, kpisFrom(totals, 0, perSecond));

  return {
    seq: Math.floor(tickEnd / tickMs),
    ts: tickEnd,
    tickMs,
    scope: view.scope.id,
    filter: view.filter,
    kpis,
    breakdown: { tech: byTech, class: byClass },
    sites: { start: siteStart, count: siteCount, data: encodeSiteFigures(figures, siteCount) },
    simulated,
    ...(real ? { real } : {}),
  };
}
