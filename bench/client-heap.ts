// The Overview page's heap over a long run at 10 ticks/s: the page and MapLibre's worker,
// measured after forced full collections through the Chrome DevTools Protocol. Length of the
// measured stretch: BENCH_CLIENT_HEAP_MINUTES (default 10), after 2 minutes of warm-up.
import type { Browser, Page } from 'playwright-core';
import type { TickTimingSample } from '../src/client/live/tick-timing.ts';
import { startAppServer, waitForBackfill, type AppServer } from './support/app-server.ts';
import { GPU_COMPOSITING, launchBenchBrowser } from './support/browser.ts';
import { HeapMeter, type TargetHeap } from './support/cdp-heap.ts';
import { installProbes } from './support/page-probes.ts';
import { heading, mb, median, ms, num, percentile, table } from './support/report.ts';
import { numberFromEnv } from './support/env.ts';

const HEAP_MINUTES = numberFromEnv('BENCH_CLIENT_HEAP_MINUTES', 10, 1);
const WARMUP_MS = 120_000;
const SAMPLE_EVERY_MS = 120_000;
const BACKFILL_DAYS = process.env.BENCH_CLIENT_BACKFILL_DAYS ?? '1';
const BACKFILL_CAP_MS = 300_000;
// Back-fill (capped at 5 min), load and warm-up take up to about 9 minutes; the run stops
// itself before run.ts would.
const WATCHDOG_MS = (HEAP_MINUTES + 10) * 60_000 - 15_000;

interface Sample {
  label: string;
  atS: number;
  heaps: TargetHeap[];
  nodes: number;
  listeners: number;
}

const sum = (heaps: readonly TargetHeap[], key: keyof Omit<TargetHeap, 'target'>) =>
  heaps.reduce((n, h) => n + h[key], 0);

async function sample(meter: HeapMeter, label: string, began: number): Promise<Sample> {
  await meter.collectGarbage();
  const heaps = await meter.usage();
  const dom = await meter.domCounters();
  return {
    label,
    atS: (performance.now() - began) / 1000,
    heaps,
    nodes: dom.nodes,
    listeners: dom.jsEventListeners,
  };
}

async function drainTicks(page: Page, into: TickTimingSample[]): Promise<void> {
  into.push(...(await page.evaluate(() => window.__meridianTickTiming!.drain())));
}

/** Waits `ms`, draining tick samples every 10 s so the page's ring never overflows. */
async function run(page: Page, ms: number, into: TickTimingSample[]): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await page.waitForTimeout(Math.min(10_000, until - Date.now()));
    await drainTicks(page, into);
  }
}

function heapRow(s: Sample, base: Sample): string[] {
  const main = s.heaps.find((h) => h.target === 'page')!;
  const workers = s.heaps.filter((h) => h.target !== 'page');
  const total = sum(s.heaps, 'usedSize') + sum(s.heaps, 'embedderHeapUsedSize');
  const baseTotal = sum(base.heaps, 'usedSize') + sum(base.heaps, 'embedderHeapUsedSize');
  const growth = total - baseTotal;
  return [
    s.label,
    `${num(s.atS / 60, 1)} min`,
    mb(main.usedSize),
    mb(main.embedderHeapUsedSize),
    mb(sum(workers, 'usedSize')),
    mb(sum(s.heaps, 'backingStorageSize')),
    mb(total),
    `${growth >= 0 ? '+' : '−'}${mb(Math.abs(growth))}`,
    num(s.nodes),
    num(s.listeners),
  ];
}

async function main(): Promise<void> {
  let server: AppServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startAppServer({ SIM_DEVICES: '100000', TICK_MS: '100', BACKFILL_DAYS });
    const backfill = await waitForBackfill(server, BACKFILL_CAP_MS);
    const fleet = (await server.health()).fleet;
    console.log(
      `server: ${num(fleet.devices)} devices, ${num(fleet.sites)} sites, TICK_MS=100; back-fill ` +
        `of ${BACKFILL_DAYS} day(s) ${backfill.state} after ${num(backfill.ms / 1000)} s`,
    );
    browser = await launchBenchBrowser();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await installProbes(page);
    const meter = await HeapMeter.attach(page);
    await page.goto(`${server.url}?bench=1`);
    const began = performance.now();
    await page.locator('.world-map__canvas[data-ready]').waitFor({ timeout: 120_000 });
    await page
      .locator('.charts .recharts-line-curve')
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });

    const warmTicks: TickTimingSample[] = [];
    await run(page, WARMUP_MS - (performance.now() - began), warmTicks);
    const samples = [await sample(meter, 'after 2 min (baseline)', began)];
    const measuredFrom = performance.now();
    const longFrom = await page.evaluate(() => window.__bench!.longTasks.length);
    const ticks: TickTimingSample[] = [];
    const end = measuredFrom + HEAP_MINUTES * 60_000;
    while (performance.now() < end - 1000) {
      await run(page, Math.min(SAMPLE_EVERY_MS, end - performance.now()), ticks);
      samples.push(
        await sample(meter, `+${num((performance.now() - measuredFrom) / 60_000, 1)} min`, began),
      );
    }
    const measuredMin = (performance.now() - measuredFrom) / 60_000;
    const longTasks = await page.evaluate(
      (from) => window.__bench!.longTasks.slice(from),
      longFrom,
    );
    const lost = await page.evaluate(() => window.__meridianTickTiming!.dropped());

    const base = samples[0]!;
    const last = samples.at(-1)!;
    const growth =
      sum(last.heaps, 'usedSize') +
      sum(last.heaps, 'embedderHeapUsedSize') -
      (sum(base.heaps, 'usedSize') + sum(base.heaps, 'embedderHeapUsedSize'));
    heading(
      `client-heap: the Overview's heap over ${num(measuredMin, 1)} min at 10 ticks/s`,
      `Server TICK_MS=100, ${num(fleet.devices)} devices, ${num(fleet.sites)} sites; global view, ` +
        `1920×1080, production build${GPU_COMPOSITING ? ', GPU-process compositing' : ''}. ` +
        'Each row after HeapProfiler.collectGarbage (twice) in the ' +
        `page and in every worker (${meter.targets.map((t) => t.url.split('/').pop()).join(', ')}).`,
    );
    table([
      [
        'when',
        'since load',
        'page JS heap',
        'page DOM heap',
        'worker JS heap',
        'ArrayBuffers',
        'JS + DOM heap',
        'vs baseline',
        'DOM nodes',
        'listeners',
      ],
      ...samples.map((s) => heapRow(s, base)),
    ]);
    console.log('');
    const commit = ticks.map((t) => t.commitMs);
    const settled = ticks.map((t) => t.settledMs);
    table([
      ['figure', 'value', 'target'],
      [
        `growth over ${num(measuredMin, 1)} min (JS + DOM heap, page + worker)`,
        `${growth >= 0 ? '+' : '−'}${mb(Math.abs(growth))}`,
        `≤ 5 MB, ${growth <= 5 * 1024 * 1024 ? 'met' : 'NOT met'}`,
      ],
      [
        'ticks handled (the server waits for each ack)',
        `${num(ticks.length)} = ${num(ticks.length / (measuredMin * 60), 1)}/s`,
        '—',
      ],
      [
        'tick → commit, p50 / p95 / max',
        `${ms(median(commit))} / ${ms(percentile(commit, 95))} / ${ms(Math.max(...commit))}`,
        '—',
      ],
      [
        'tick → passive effects done, p50 / p95 / max',
        `${ms(median(settled))} / ${ms(percentile(settled, 95))} / ${ms(Math.max(...settled))}`,
        '—',
      ],
      [
        'long tasks (> 50 ms)',
        longTasks.length
          ? `${num(longTasks.length)}, longest ${ms(Math.max(...longTasks.map((t) => t.duration)))}`
          : 'none',
        '—',
      ],
    ]);
    if (lost > 0) console.log(`\n(${num(lost)} tick samples were lost from the page's ring)`);
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

setTimeout(() => {
  console.error(`client-heap: gave up after ${WATCHDOG_MS / 1000} s`);
  process.exit(1); // the exit hooks kill the server and the browser
}, WATCHDOG_MS).unref();

await main();
