// The Overview page in headless Chromium (production build, ?bench=1) against the real server
// with the default fleet: bytes before the first KPI, tick handling + React commit per tick,
// long tasks, map frames, and the time from a click on another scope to its KPIs.
import type { Browser, Page } from 'playwright-core';
import type { TickTimingSample } from '../src/client/live/tick-timing.ts';
import { startAppServer, waitForBackfill, type AppServer } from './support/app-server.ts';
import { GPU_COMPOSITING, launchBenchBrowser } from './support/browser.ts';
import { traceMainThread } from './support/main-thread.ts';
import { installProbes } from './support/page-probes.ts';
import { heading, kb, median, ms, num, percentile, table } from './support/report.ts';
import { runScopeSwitches } from './support/scope-switch.ts';
import { jsCssTotals, loadedResources, type LoadedResource } from './support/transfer.ts';
import { numberFromEnv } from './support/env.ts';

const TICKS = numberFromEnv('BENCH_CLIENT_TICKS', 120, 1);
// 1 day covers the charts' last hour second by second; 0 skips the wait for a quick trial.
const BACKFILL_DAYS = process.env.BENCH_CLIENT_BACKFILL_DAYS ?? '1';
const BACKFILL_CAP_MS = 300_000;
const WATCHDOG_MS = 720_000 - 15_000;
const VIEWPORT = { width: 1920, height: 1080 };
const TRACE_MS = numberFromEnv('BENCH_CLIENT_TRACE_MS', 20_000);
// Chromium's CPU throttling of the page's main thread (2 = half speed), to see how much room a
// slower machine than this one would leave; 1 (the default) is no throttling.
const CPU_SLOWDOWN = numberFromEnv('BENCH_CLIENT_CPU_SLOWDOWN', 1, 1);

async function mapAndChartsReady(page: Page): Promise<number> {
  await page.locator('.world-map__canvas[data-ready]').waitFor({ timeout: 120_000 });
  await page
    .locator('.charts .recharts-line-curve')
    .first()
    .waitFor({ state: 'attached', timeout: 60_000 });
  return page.evaluate(() => performance.now());
}

/** Collects `count` tick samples of the global view (drained from the page as they come). */
async function collectTicks(page: Page, count: number): Promise<TickTimingSample[]> {
  const samples: TickTimingSample[] = [];
  const until = Date.now() + count * 1500 + 30_000;
  while (samples.length < count && Date.now() < until) {
    await page.waitForTimeout(5000);
    samples.push(...(await page.evaluate(() => window.__meridianTickTiming!.drain())));
  }
  return samples.slice(0, count);
}

function stats(values: readonly number[]): string[] {
  return [ms(median(values)), ms(percentile(values, 95)), ms(Math.max(...values))];
}

/** The JS and CSS the page's HTML loads itself: what the KPIs wait for (the rest is lazy). */
function entryPaths(html: string): Set<string> {
  return new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!));
}

function bytesTable(before: LoadedResource[], all: LoadedResource[], entry: Set<string>): void {
  const needed = jsCssTotals(all.filter((r) => entry.has(r.path)));
  const first = jsCssTotals(before);
  const total = jsCssTotals(all);
  table([
    ['JS + CSS', 'files', 'as sent', 'gzip -6', 'target'],
    [
      'the KPIs need (what index.html loads)',
      num(needed.files.length),
      kb(needed.bodyBytes),
      kb(needed.gzipBytes),
      `≤ 250 kB gzip, ${needed.gzipBytes <= 250 * 1024 ? 'met' : 'NOT met'}`,
    ],
    [
      'loaded when the first KPI showed',
      num(first.files.length),
      kb(first.bodyBytes),
      kb(first.gzipBytes),
      '— (lazy chunks that happened to end first too)',
    ],
    [
      'after the map and charts',
      num(total.files.length),
      kb(total.bodyBytes),
      kb(total.gzipBytes),
      '—',
    ],
  ]);
  console.log('');
  // One row per file: a second load of the same file (the map worker) comes from the cache.
  const byPath = new Map<string, LoadedResource>();
  for (const r of all) {
    if (r.kind !== 'socket' && (byPath.get(r.path)?.bodyBytes ?? -1) < r.bodyBytes)
      byPath.set(r.path, r);
  }
  const rows = [...byPath.values()]
    .sort((a, b) => a.startTime - b.startTime)
    .map((r) => [
      r.path.length > 48 ? `${r.path.slice(0, 45)}…` : r.path,
      r.kind,
      ms(r.startTime),
      // The map worker's script reports an end before its start (fetched for the worker).
      r.responseEnd >= r.startTime ? ms(r.responseEnd) : '—',
      kb(r.bodyBytes),
      r.gzipBytes === null ? '—' : kb(r.gzipBytes),
      before.includes(r) ? 'yes' : '',
    ]);
  table([['resource', 'kind', 'start', 'end', 'as sent', 'gzip', 'before KPI'], ...rows]);
  const compressed = all.filter((r) => r.kind !== 'socket' && r.decodedBytes !== r.bodyBytes);
  console.log(
    compressed.length === 0
      ? '\nNo response was compressed on the wire (encodedBodySize = decodedBodySize for each).'
      : `\nCompressed on the wire: ${compressed.map((r) => r.path).join(', ')}`,
  );
}

async function main(): Promise<void> {
  let server: AppServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startAppServer({
      SIM_DEVICES: '100000',
      TICK_MS: '1000',
      BACKFILL_DAYS,
    });
    const backfill = await waitForBackfill(server, BACKFILL_CAP_MS);
    const fleet = (await server.health()).fleet;
    console.log(
      `server: ${num(fleet.devices)} devices, ${num(fleet.sites)} sites; back-fill of ` +
        `${BACKFILL_DAYS} day(s) ` +
        `${backfill.state} after ${num(backfill.ms / 1000)} s`,
    );
    browser = await launchBenchBrowser();
    const page = await browser.newPage({ viewport: VIEWPORT });
    if (CPU_SLOWDOWN !== 1) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    }
    await installProbes(page);
    await page.goto(`${server.url}?bench=1`);
    await page.waitForFunction(() => window.__bench?.firstKpiAt != null, null, {
      timeout: 60_000,
    });
    const readyAt = await mapAndChartsReady(page);
    await page.waitForTimeout(5000);
    const firstKpiAt = (await page.evaluate(() => window.__bench!.firstKpiAt))!;
    const all = await loadedResources(page, server.clientDir);
    const before = all.filter((r) => r.startTime <= firstKpiAt && r.responseEnd <= firstKpiAt);

    // Steady state: the global view (2,203 sites per tick), map and charts drawn.
    await page.evaluate(() => window.__meridianTickTiming!.drain());
    const longTasksFrom = await page.evaluate(() => window.__bench!.longTasks.length);
    await page.evaluate(() => window.__bench!.startFrames());
    const windowStart = Date.now();
    const ticks = await collectTicks(page, TICKS);
    const windowS = (Date.now() - windowStart) / 1000;
    const frames = await page.evaluate(() => window.__bench!.stopFrames());
    const longTasks = await page.evaluate(
      (from) => window.__bench!.longTasks.slice(from),
      longTasksFrom,
    );
    const sites = (await server.health()).fleet.sites;

    const switchLongFrom = await page.evaluate(() => window.__bench!.longTasks.length);
    const switches = await runScopeSwitches(page);
    const switchLong = await page.evaluate(
      (from) => window.__bench!.longTasks.slice(from),
      switchLongFrom,
    );
    // Back on the global view (the last switch): what the main thread does, traced.
    await page.waitForTimeout(3000);
    const traced = await traceMainThread(page, TRACE_MS);

    heading(
      'client-overview: the Overview in headless Chromium (production build, software WebGL, ' +
        `${GPU_COMPOSITING ? 'GPU-process compositing' : 'software compositing'}` +
        `${CPU_SLOWDOWN !== 1 ? `, main thread throttled ${CPU_SLOWDOWN}×` : ''})`,
      `Server: the real entry point, ${num(fleet.devices)} devices, ${num(sites)} sites, ` +
        `TICK_MS=1000; page ${VIEWPORT.width}×${VIEWPORT.height}, global view.`,
    );
    console.log('### bytes\n');
    bytesTable(before, all, entryPaths(await (await fetch(server.url)).text()));
    console.log(
      `\nfirst KPI value at ${ms(firstKpiAt)}, map and charts drawn at ${ms(readyAt)} ` +
        '(after navigation start; loopback, no throttling)',
    );

    console.log(`\n### per tick (${num(ticks.length)} ticks in ${num(windowS)} s)\n`);
    const commit = ticks.map((t) => t.commitMs);
    const settled = ticks.map((t) => t.settledMs);
    table([
      ['from tick arrival to', 'p50', 'p95', 'max', 'over 8 ms', 'target'],
      [
        'end of the React commit (layout effects)',
        ...stats(commit),
        `${num(commit.filter((v) => v > 8).length)} / ${num(commit.length)}`,
        `p95 ≤ 8 ms, ${percentile(commit, 95) <= 8 ? 'met' : 'NOT met'}`,
      ],
      [
        '… and its passive effects',
        ...stats(settled),
        `${num(settled.filter((v) => v > 8).length)} / ${num(settled.length)}`,
        '—',
      ],
    ]);
    const longest = longTasks.reduce((m, t) => Math.max(m, t.duration), 0);
    console.log('');
    table([
      ['figure', 'value', 'target'],
      [
        `long tasks (> 50 ms) while ticking, ${num(windowS)} s`,
        longTasks.length ? `${num(longTasks.length)}, longest ${ms(longest)}` : 'none',
        `none, ${longTasks.length === 0 ? 'met' : 'NOT met'}`,
      ],
      [
        'long tasks during the scope switches',
        switchLong.length
          ? `${num(switchLong.length)}, longest ${ms(Math.max(...switchLong.map((t) => t.duration)))}`
          : 'none',
        '—',
      ],
      [
        'animation frames: interval p50 / p95 / max',
        frames.gaps.length ? stats(frames.gaps).join(' / ') : '—',
        'information',
      ],
      [
        "map's own rAF work per frame that drew: p50 / p95 / max",
        (() => {
          const drew = frames.callbackMs.filter((v) => v > 0);
          return drew.length ? `${stats(drew).join(' / ')} (${num(drew.length)} frames)` : '—';
        })(),
        'information',
      ],
    ]);

    console.log(
      `\n### main thread by task, traced for ${num(traced.windowMs / 1000)} s afterwards\n`,
    );
    table([
      [
        'top-level task',
        'tasks',
        'busy',
        'share of time',
        'long tasks',
        '… of which > 50 ms on a core',
        'longest',
      ],
      ...traced.kinds.map((k) => [
        k.kind,
        num(k.tasks),
        ms(k.busyMs),
        `${num((k.busyMs / traced.windowMs) * 100, 1)} %`,
        num(k.longTasks),
        num(k.longOnCpu),
        ms(k.longestMs),
      ]),
    ]);

    // A tick's task in the trace, wall time against the part of it on a core: on 2 cores shared
    // with the GPU process's software rendering and the server, the rest is waiting for one.
    const tickTasks = traced.kinds.find((k) => k.kind === 'socket message (a tick)');
    const worked = tickTasks
      ? tickTasks.wallMs
          .map((wall, i) => ({ wall, cpu: tickTasks.cpuMs[i]! }))
          // A tick comes in two frames (its sites are a binary attachment); the first only waits.
          .filter((t) => t.wall > 2)
      : [];
    if (worked.length) {
      console.log('');
      table([
        ['tick tasks in the trace (decode, render, commit, effects)', 'p50', 'p95', 'max'],
        ['wall time', ...stats(worked.map((t) => t.wall))],
        ['… of it on a core (thread time)', ...stats(worked.map((t) => t.cpu))],
      ]);
    }

    if (traced.long.length) {
      console.log('\nLong tasks in the trace, with the longest events inside each (ms):\n');
      table([
        ['task', 'on a core', 'kind', 'inside', 'sampled in'],
        ...traced.long.map((t) => [ms(t.ms), ms(t.cpuMs), t.kind, t.inside, t.ran]),
      ]);
    }

    console.log(`\n### scope switch: click → the new scope's KPIs (${switches.length} clicks)\n`);
    const shown = switches.map((s) => s.shownMs);
    const framed = switches.map((s) => s.frameMs);
    // A trend line not drawn within 10 s counts as 10 s.
    const trends = switches.map((s) => s.historyMs ?? 10_000);
    table([
      ['click', 'to', 'heading', 'KPIs in the DOM', 'next frame', 'KPI trends (history)'],
      ...switches.map((s) => [
        s.via,
        s.scope,
        ms(s.headingMs),
        ms(s.shownMs),
        ms(s.frameMs),
        s.historyMs === null ? 'not in 10 s' : ms(s.historyMs),
      ]),
    ]);
    console.log('');
    table([
      ['click → KPIs of the new scope', 'p50', 'max', 'target'],
      [
        'in the DOM (commit)',
        ms(median(shown)),
        ms(Math.max(...shown)),
        `≤ 300 ms, ${Math.max(...shown) <= 300 ? 'met' : 'NOT met'} (max)`,
      ],
      ['next animation frame', ms(median(framed)), ms(Math.max(...framed)), '—'],
      [
        '… with the KPI trend lines (history)',
        ms(median(trends)),
        ms(Math.max(...trends)),
        `≤ 300 ms, ${Math.max(...trends) <= 300 ? 'met' : 'NOT met'} (max)`,
      ],
      [
        "the click's own render (heading)",
        ms(median(switches.map((s) => s.headingMs))),
        ms(Math.max(...switches.map((s) => s.headingMs))),
        '—',
      ],
    ]);
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

setTimeout(() => {
  console.error(`client-overview: gave up after ${WATCHDOG_MS / 1000} s`);
  process.exit(1); // the exit hooks kill the server and the browser
}, WATCHDOG_MS).unref();

await main();
