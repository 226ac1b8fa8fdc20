// Fills a history store with what 30 days of the default fleet leave behind under the default
// retention, in about a minute instead of the ~40 minutes a minute-by-minute replay would take.
//
// Values come from the real simulator: one day at hour resolution (the 24 hourly vectors of
// every series, as SeriesValues computes them), repeated with a small deterministic day-to-day
// and minute-to-minute wobble. Rows are written by HistoryRecorder, one recorder per tier, so
// they have the production format (n, sums, min, max, integers), are written in time order
// (each flush upserts one bucket of every series, as in production) and only what retention
// keeps is written: hours for 30 days, aggregate minutes for RETAIN_MINUTES, site minutes for
// RETAIN_SITE_MINUTES, seconds for RETAIN_SECONDS. What this leaves out is the churn: pages
// freed by retention and reused, which the soak test (tests/soak) measures.
import { CELLS_PER_SITE } from '../../src/server/aggregate/cells.ts';
import type { Config } from '../../src/server/core/config.ts';
import { silentLogger } from '../../src/server/core/logger.ts';
import { ReplaySink } from '../../src/server/history/backfill.ts';
import { HistoryRecorder } from '../../src/server/history/recorder.ts';
import type { SeriesCatalog } from '../../src/server/history/series-catalog.ts';
import { SeriesValues } from '../../src/server/history/series-values.ts';
import type { ScopeIndex } from '../../src/server/sites/scope-index.ts';
import { Simulator } from '../../src/server/simulator/simulator.ts';
import { METRIC_COUNT, type HistoryStore, type Tier } from '../../src/server/storage/store.ts';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Metrics from here on are traffic (totals per period); before it, device counts. */
const TRAFFIC = 4;

export interface FillOptions {
  config: Config;
  scopes: ScopeIndex;
  store: HistoryStore;
  catalog: SeriesCatalog;
  /** The first live second: the fill covers [until - days, until). A whole minute. */
  until: number;
  days: number;
}

export interface FillReport {
  profileMs: number;
  fillMs: number;
  /** Row upserts per recorder (hour and day rows are merged again at every flush). */
  upserts: { seconds: number; minutes: number; hoursAndDays: number };
}

/** The catalog as seen by a recorder that writes only some tiers. */
function onlyTiers(
  catalog: SeriesCatalog,
  tiers: Partial<Record<Tier, Int32Array>>,
  minAggregates: Int32Array = new Int32Array(0),
): SeriesCatalog {
  const none = new Int32Array(0);
  return Object.assign(Object.create(catalog) as SeriesCatalog, {
    tierSeries: {
      sec: tiers.sec ?? none,
      min: tiers.min ?? none,
      hour: tiers.hour ?? none,
      day: tiers.day ?? none,
    },
    minAggregates,
  });
}

/** A deterministic number in [-1, 1) (the usual sine hash; quality is not the point). */
function wobble(a: number, b: number): number {
  const x = Math.sin(a * 12.9898 + b * 78.233) * 43_758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

/** Counts as they are; traffic scaled by `share` with ±spread around it, whole numbers. */
function derive(
  from: Float64Array,
  to: Float64Array,
  series: Int32Array,
  share: number,
  spread: number,
  salt: number,
): Float64Array {
  for (const i of series) {
    const o = i * METRIC_COUNT;
    for (let m = 0; m < TRAFFIC; m++) to[o + m] = from[o + m]!;
    for (let m = TRAFFIC; m < METRIC_COUNT; m++) {
      to[o + m] = Math.round(from[o + m]! * share * (1 + spread * wobble(salt, i * 8 + m)));
    }
  }
  return to;
}

/** The hourly vectors of every series over one simulated UTC day, from the real simulator. */
function dayProfile(o: FillOptions, values: SeriesValues): Float64Array[] {
  const day = Math.floor(o.until / DAY) * DAY - DAY;
  const sink = new ReplaySink(o.scopes.sites.length * CELLS_PER_SITE);
  const sim = new Simulator({ ...o.config.simulator, scopes: o.scopes, slotMs: HOUR, sink });
  sim.start(day);
  const hours: Float64Array[] = [];
  for (let h = 0; h < 24; h++) {
    sim.advanceTo(day + (h + 1) * HOUR);
    hours.push(values.compute(sink.traffic, sink.counts).slice());
    sink.traffic.fill(0);
  }
  return hours;
}

export function fillHistory(o: FillOptions): FillReport {
  const { catalog, store } = o;
  const retain = o.config.history.retain;
  const logger = silentLogger();
  const values = new SeriesValues(catalog);
  let began = performance.now();
  const profile = dayProfile(o, values);
  const profileMs = performance.now() - began;

  began = performance.now();
  const all = catalog.tierSeries;
  const hours = new HistoryRecorder(
    onlyTiers(catalog, { hour: all.hour, day: all.day }),
    store,
    logger,
  );
  const minutes = new HistoryRecorder(
    onlyTiers(catalog, { min: all.min }, catalog.minAggregates),
    store,
    logger,
    0,
    () => o.until - retain.siteMinMs,
  );
  const seconds = new HistoryRecorder(onlyTiers(catalog, { sec: all.sec }), store, logger);
  const perHour = new Float64Array(catalog.size * METRIC_COUNT);
  const perMinute = new Float64Array(catalog.size * METRIC_COUNT);
  const perSecond = new Float64Array(catalog.size * METRIC_COUNT);
  const from = Math.floor((o.until - o.days * DAY) / HOUR) * HOUR;
  const minutesFrom = o.until - retain.minMs;
  const secondsFrom = o.until - retain.secMs;

  for (let h = from; h < o.until; h += HOUR) {
    const end = Math.min(h + HOUR, o.until);
    const hourOfDay = Math.floor((h % DAY) / HOUR);
    const share = (end - h) / HOUR;
    derive(profile[hourOfDay]!, perHour, all.hour, share, 0.03, Math.floor(h / DAY));
    hours.recordBlock(h, (end - h) / SECOND, perHour);
    for (let m = Math.max(h, minutesFrom); m < end; m += MINUTE) {
      derive(perHour, perMinute, all.min, MINUTE / (end - h), 0.1, m / MINUTE);
      minutes.recordBlock(m, 60, perMinute);
      if ((m / MINUTE) % 15 === 14) minutes.flush();
      for (let s = Math.max(m, secondsFrom); s < m + MINUTE; s += SECOND) {
        seconds.recordSecond(s, derive(perMinute, perSecond, all.sec, 1 / 60, 0.1, s), false);
        if ((s / SECOND) % 10 === 9) seconds.flush();
      }
    }
    if ((h / HOUR) % 24 === 23) hours.flush();
  }
  for (const r of [hours, minutes, seconds]) r.flush();
  return {
    profileMs,
    fillMs: performance.now() - began,
    upserts: {
      seconds: seconds.rowsWritten,
      minutes: minutes.rowsWritten,
      hoursAndDays: hours.rowsWritten,
    },
  };
}
