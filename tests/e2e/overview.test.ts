import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopesResponse } from '../../src/protocol/scopes.ts';
import type { MeridianDebug } from '../../src/client/history/debug-hook.ts';
import { chromiumAvailable, launchBrowser, SCREENSHOTS } from './support/browser.ts';
import { startAppServer, type ServerProcess } from './support/server-process.ts';

const enabled = chromiumAvailable();
const TICK_MS = 500;
const MAP_BACKGROUND = [0x0a, 0x16, 0x22];
let server: ServerProcess;
let browser: Browser;
let dataDir: string;

function env(port = '0'): Record<string, string> {
  return {
    SIM_DEVICES: '5000',
    TICK_MS: String(TICK_MS),
    DATA_DIR: dataDir,
    PORT: port,
    BACKFILL_DAYS: '1',
  };
}

beforeAll(async () => {
  if (!enabled) return;
  dataDir = mkdtempSync(join(tmpdir(), 'meridian-e2e-overview-'));
  server = await startAppServer(env());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

declare global {
  interface Window {
    __meridian?: MeridianDebug;
  }
}

async function openLive(page: Page, query = ''): Promise<void> {
  await page.goto(`${server.url}${query}`);
  await page.locator('.conn[data-state="live"]').waitFor({ timeout: 10_000 });
}

async function mapReady(page: Page): Promise<void> {
  await page.locator('.world-map__canvas[data-ready]').waitFor({ timeout: 40_000 });
  await page.waitForFunction(() => typeof window.__meridian?.mapPoint === 'function');
}

/** Distinct colours in a PNG and the share of pixels that are not the map's background. */
async function colourStats(page: Page, png: Buffer): Promise<{ colours: number; drawn: number }> {
  return page.evaluate(
    async ({ b64, bg }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      const colours = new Set<number>();
      let drawn = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        colours.add((r << 16) | (g << 8) | b);
        if (Math.abs(r - bg[0]!) + Math.abs(g - bg[1]!) + Math.abs(b - bg[2]!) > 12) drawn++;
      }
      return { colours: colours.size, drawn: drawn / (data.length / 4) };
    },
    { b64: png.toString('base64'), bg: MAP_BACKGROUND },
  );
}

function devicesShown(page: Page): Promise<number> {
  return page
    .locator('[data-kpi="devices"] .kpi__value')
    .getAttribute('title')
    .then((t) => Number((t ?? '').replace(/,/g, '').match(/[\d.]+/)?.[0] ?? Number.NaN));
}

/** The chart's buckets: on one grid, each once, and those from `since` on (but the newest) full. */
function chartProblems(since: number) {
  const s = window.__meridian?.chartSeries?.();
  if (!s || s.t.length < 2) return ['no series'];
  const problems: string[] = [];
  const full = (s.stepMs / 500) * 0.9;
  for (let i = 1; i < s.t.length; i++) {
    if (s.t[i]! - s.t[i - 1]! !== s.stepMs) problems.push(`step at ${s.t[i]}`);
  }
  if (new Set(s.t).size !== s.t.length) problems.push('duplicate timestamp');
  s.t.forEach((t, i) => {
    if (t >= since && i < s.t.length - 1 && s.weight[i]! < full) {
      problems.push(`bucket ${t} holds ${s.weight[i]} of ${s.stepMs / 500} ticks`);
    }
  });
  return problems;
}

describe.skipIf(!enabled)('the Overview in Chromium', () => {
  it('draws the world map, and a click on a country scopes the page to it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // React announces its build to the developer-tools hook: 0 is production, 1 development.
    await page.addInitScript({
      content: `window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = { supportsFiber: true, renderers: new Map(),
        inject(r) { window.__reactBundleType = r.bundleType; return 1; },
        onCommitFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {}, checkDCE() {} };`,
    });
    await openLive(page);
    const world = await devicesShown(page);
    // The page people get is React's production build, whoever built dist/ (vitest sets NODE_ENV).
    expect(
      await page.evaluate(() => (window as { __reactBundleType?: number }).__reactBundleType),
    ).toBe(0);
    // ... and its main script (the build's brotli copy) and the scope tree (compressed once by the
    // server) arrive in less than half their bytes.
    const sentSizes = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => /\/assets\/index-[^/]+\.js$|\/api\/v1\/scopes$/.test(e.name))
        .map((e) => {
          const r = e as PerformanceResourceTiming;
          return { sent: r.encodedBodySize, size: r.decodedBodySize };
        }),
    );
    expect(sentSizes).toHaveLength(2);
    for (const { sent, size } of sentSizes) expect(sent).toBeLessThan(size / 2);
    await mapReady(page);
    // Sites arrive with the next tick; give the renderer a moment.
    await page.waitForTimeout(1500);
    const png = await page.locator('.world-map canvas').screenshot();
    const stats = await colourStats(page, png);
    expect(stats.colours).toBeGreaterThan(20);
    expect(stats.drawn).toBeGreaterThan(0.15);

    // The map keeps its box through a switch: the incidents under the charts beside it come
    // and go with the scope, and a row that followed them made the map resize and redraw.
    await page.evaluate(() => {
      const heights: number[] = [];
      (window as { __mapHeights?: number[] }).__mapHeights = heights;
      new ResizeObserver(([e]) => heights.push(Math.round(e!.contentRect.height))).observe(
        document.querySelector('.world-map')!,
      );
    });
    // Central Australia: land, no city of 200,000 nearby, so the click lands on the country.
    const [x, y] = await page.evaluate(() => window.__meridian!.mapPoint!(134, -24));
    await page.mouse.click(x, y);
    await page.waitForURL(/scope=country(:|%3A)AU/);
    await page.getByRole('heading', { level: 1, name: 'Australia' }).waitFor();
    await page.waitForFunction(
      (total) => {
        const t =
          document.querySelector('[data-kpi="devices"] .kpi__value')?.getAttribute('title') ?? '';
        const n = Number(t.replace(/,/g, '').match(/[\d.]+/)?.[0]);
        return n > 0 && n < total;
      },
      world,
      { timeout: 5000 },
    );
    // The new scope's charts and incidents are read by then.
    await page.waitForTimeout(2000);
    const heights = await page.evaluate(
      () => (window as { __mapHeights?: number[] }).__mapHeights!,
    );
    // The observer's first report is the size it started with; there is no other.
    expect(new Set(heights).size).toBe(1);
    await page.close();
  });

  it('charts the last hour and continues after a server restart with no hole and no duplicate', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openLive(page);
    await page.waitForFunction(
      () => Number(document.querySelector('.charts')?.getAttribute('data-points')) > 10,
      null,
      { timeout: 10_000 },
    );
    // Recharts arrives in its own chunk, after the series has started.
    // Attached, not visible: a flat line has an empty box, which Playwright counts as hidden.
    await page
      .locator('.charts .recharts-line-curve')
      .first()
      .waitFor({ state: 'attached', timeout: 10_000 });
    const before = await page.evaluate(() => window.__meridian!.chartSeries!()!);
    // Everything from the last full bucket before the stop must be whole afterwards.
    const since = before.t.at(-2)!;

    const port = new URL(server.url).port;
    expect(await server.stop()).toBe(0);
    await page
      .locator('.conn[data-state="reconnecting"], .conn[data-state="offline"]')
      .waitFor({ timeout: 5000 });
    await page.locator('.world-map[data-stale]').waitFor({ timeout: 10_000 });
    await page.locator('.charts[data-stale]').waitFor();
    // Buckets are checked by how many ticks' worth they hold, so a downtime shorter than a
    // bucket is a hole too.
    server = await startAppServer(env(port));
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 20_000 });
    await page.locator('.world-map:not([data-stale])').waitFor({ timeout: 5000 });
    // The gap is read from history, which the restarted server back-fills from its simulator.
    // Let the line move on past the downtime, so that every bucket of it has closed.
    await page.waitForFunction(
      (t) => window.__meridian!.chartSeries!()!.t.at(-1)! >= t,
      before.t.at(-1)! + 2 * before.stepMs,
      { timeout: 3 * before.stepMs + 10_000 },
    );
    let problems = await page.evaluate(chartProblems, since);
    // The restarted server may be back-filling a whole day besides its downtime: allow it time.
    for (let i = 0; i < 180 && problems.length > 0; i++) {
      await page.waitForTimeout(500);
      problems = await page.evaluate(chartProblems, since);
    }
    if (problems.length > 0) {
      // Say whether the server's own history has the hole, or only the chart.
      const s = await page.evaluate(() => window.__meridian!.chartSeries!()!);
      const first = s.t.find((t, i) => t >= since && i < s.t.length - 1 && s.weight[i]! < 18)!;
      const url = new URL('/api/v1/history', server.url);
      url.search = `scope=global&metrics=online&from=${first}&to=${first + s.stepMs}&maxPoints=100`;
      const h = (await (await fetch(url)).json()) as { completeness: number[] };
      problems.push(`server completeness per second: ${h.completeness.join(' ')}`);
      problems.push(`server log: ${server.lines.slice(-8).join('\n')}`);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 150_000);

  it('looks right at laptop and wall sizes (screenshots)', async () => {
    const scopes = (await (
      await fetch(new URL('/api/v1/scopes', server.url))
    ).json()) as ScopesResponse;
    const site = scopes.scopes.find((s) => s.kind === 'site' && s.country === 'DE');
    expect(site).toBeDefined();
    const views: [string, string][] = [
      ['global', ''],
      ['europe', '?scope=region:europe'],
      ['site', `?scope=${site!.id}`],
      ['kiosk', '?kiosk=1'],
    ];
    for (const [width, height] of [
      [1440, 900],
      [1920, 1080],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      for (const [name, query] of views) {
        if (server.child.exitCode !== null) {
          throw new Error(`the server exited:\n${server.lines.slice(-20).join('\n')}`);
        }
        await openLive(page, query);
        await mapReady(page);
        await page.locator('.charts[data-points]:not([data-points="0"])').waitFor();
        await page.waitForTimeout(1000);
        await page.screenshot({ path: `${SCREENSHOTS}/overview-${name}-${width}.png` });
      }
      await page.close();
    }
  }, 240_000);
});
