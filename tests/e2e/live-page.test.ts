import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, SCREENSHOTS } from './support/browser.ts';
import { startAppServer, type ServerProcess } from './support/server-process.ts';

const enabled = chromiumAvailable();
const TICK_MS = 500;
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
  dataDir = mkdtempSync(join(tmpdir(), 'meridian-e2e-'));
  server = await startAppServer(env());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The exact figure a KPI tile shows (its title), e.g. "4,968 devices". */
function exact(page: Page, kpi: string): Promise<string | null> {
  return page.locator(`[data-kpi="${kpi}"] .kpi__value`).getAttribute('title');
}

function firstNumber(text: string | null): number {
  return Number((text ?? '').replace(/,/g, '').match(/[\d.]+/)?.[0] ?? Number.NaN);
}

describe.skipIf(!enabled)('the live page in Chromium', () => {
  it('shows live KPIs that change with the ticks, and drills into a region', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 10_000 });
    const devices = firstNumber(await exact(page, 'devices'));
    expect(devices).toBeGreaterThan(4900);
    expect(devices).toBeLessThanOrEqual(5000);
    const before = await exact(page, 'messages');
    await page.waitForFunction(
      (b) =>
        document.querySelector('[data-kpi="messages"] .kpi__value')?.getAttribute('title') !== b,
      before,
      { timeout: 3000 },
    );
    await page.screenshot({ path: `${SCREENSHOTS}/live-global.png` });

    await page.getByRole('link', { name: /^Europe/ }).click();
    await page.waitForURL(/scope=region(:|%3A)europe/);
    await page.getByRole('heading', { level: 1, name: 'Europe' }).waitFor();
    await page.waitForFunction(
      (total) => {
        const t =
          document.querySelector('[data-kpi="devices"] .kpi__value')?.getAttribute('title') ?? '';
        const n = Number(t.replace(/,/g, '').match(/[\d.]+/)?.[0]);
        return n > 0 && n < total;
      },
      devices,
      { timeout: 5000 },
    );
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Europe' }).waitFor();
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('kiosk mode shows no chrome and fits a wall screen without scrolling', async () => {
    const chrome = [
      'nav[aria-label="Scope"]',
      '[aria-label="Data-rate units"]',
      '[aria-label="Colour theme"]',
      '[aria-label="Time zone"]',
      '[aria-label="Time range"]',
      '[aria-label="Filters"] select',
      '.maplibregl-ctrl-zoom-in',
    ].join(', ');
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(server.url);
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 10_000 });
    await page.locator('.maplibregl-ctrl-zoom-in').waitFor({ timeout: 40_000 });
    expect(await page.locator(chrome).filter({ visible: true }).count()).toBe(9);
    await page.goto(`${server.url}?kiosk=1`);
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 10_000 });
    expect(await page.locator(chrome).filter({ visible: true }).count()).toBe(0);
    // A wall is dark unless its link says otherwise, whatever the system prefers.
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    // Nothing animates for as long as the page is live: an endless animation has the
    // compositor draw a frame 60 times a second, on a wall for weeks.
    const endless = await page.evaluate(() =>
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations === Infinity)
        .map((a) => (a as CSSAnimation).animationName ?? 'an animation'),
    );
    expect(endless).toEqual([]);
    await page
      .getByRole('figure', { name: 'Devices by device class' })
      .locator('li')
      .first()
      .waitFor();
    for (const [width, height] of [
      [1920, 1080],
      [3840, 2160],
    ] as const) {
      await page.setViewportSize({ width, height });
      const fit = await page.evaluate(() => {
        const bottom = (selector: string) =>
          Math.max(
            ...[...document.querySelectorAll(selector)].map(
              (e) => e.getBoundingClientRect().bottom,
            ),
          );
        return {
          scrolls: document.documentElement.scrollHeight > window.innerHeight,
          breakdowns: bottom('.breakdown') <= window.innerHeight,
          kpis: bottom('.kpi') <= window.innerHeight,
          map: document.querySelector('.world-map')!.getBoundingClientRect().height,
        };
      });
      expect(fit, `${width}×${height}`).toMatchObject({
        scrolls: false,
        breakdowns: true,
        kpis: true,
      });
      // The map and the charts keep a useful share of the screen.
      expect(fit.map / height, `${width}×${height}`).toBeGreaterThan(0.35);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `${SCREENSHOTS}/live-kiosk.png` });
    await page.close();
  });

  it('?theme=light gives a light page, and the theme toggle works by keyboard', async () => {
    const luminance = (css: string) => {
      const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).map(Number);
      return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
    };
    const background = (page: Page) =>
      page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // The system prefers dark: the link's choice wins.
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
      colorScheme: 'dark',
    });
    await page.goto(`${server.url}?theme=light`);
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 10_000 });
    expect(luminance(await background(page))).toBeGreaterThan(0.85);
    await page.screenshot({ path: `${SCREENSHOTS}/live-light.png` });

    // Tab from the top of the page to the theme toggle, then choose Dark with the keyboard.
    await page.locator('body').focus();
    const inToggle = () =>
      page.evaluate(() => document.activeElement?.closest('[aria-label="Colour theme"]') !== null);
    let presses = 0;
    while (!(await inToggle()) && presses++ < 40) await page.keyboard.press('Tab');
    expect(await inToggle()).toBe(true);
    // The toggle reads Dark, Light, Auto: the first stop is Dark, the default, so choosing it
    // takes the parameter off the link.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Dark');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => !url.searchParams.has('theme'));
    expect(luminance(await background(page))).toBeLessThan(0.1);
    expect(await page.getByRole('button', { name: 'Dark' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.close();

    // No choice: dark, whatever the system prefers; auto: the system's setting.
    const plain = await browser.newPage({ colorScheme: 'light' });
    await plain.goto(server.url);
    expect(luminance(await background(plain))).toBeLessThan(0.1);
    await plain.goto(`${server.url}?theme=auto`);
    expect(luminance(await background(plain))).toBeGreaterThan(0.85);
    await plain.close();
  });

  it('turns stale when the server stops and goes live again when it is back', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 10_000 });
    // Figures must have arrived before they can go stale (connected is not yet a tick).
    await page.locator('[data-kpi="devices"] .kpi__value[title]').waitFor({ timeout: 5000 });
    const port = new URL(server.url).port;
    expect(await server.stop()).toBe(0);
    await page
      .locator('.conn[data-state="reconnecting"], .conn[data-state="offline"]')
      .waitFor({ timeout: 5000 });
    await page.locator('[data-kpi="devices"][data-stale]').waitFor({ timeout: 3 * TICK_MS + 3000 });
    await page.screenshot({ path: `${SCREENSHOTS}/live-stale.png` });
    server = await startAppServer(env(port));
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-kpi="devices"]:not([data-stale])').waitFor({ timeout: 5000 });
    // The map and the charts load in chunks of their own; one the stop interrupted is fetched
    // again, and the page was never broken meanwhile.
    await page.locator('.world-map__canvas[data-ready]').waitFor({ timeout: 30_000 });
    // Attached, not visible: a flat line has an empty box, which Playwright counts as hidden.
    await page
      .locator('.charts .recharts-line-curve')
      .first()
      .waitFor({ state: 'attached', timeout: 15_000 });
    await page.close();
  });

  it('goes live over long-polling behind a proxy that refuses WebSockets', async () => {
    // A proxy in front of the server: plain HTTP passes, every WebSocket upgrade gets a 403.
    let refused = 0;
    const target = new URL(server.url);
    const proxy = createServer((req, res) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    proxy.on('upgrade', (_req, socket) => {
      refused++;
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      const polled = page.waitForRequest(/\/socket\.io\/\?.*transport=polling/);
      await page.goto(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`);
      await polled;
      await page.locator('.conn[data-state="live"]').waitFor({ timeout: 15_000 });
      expect(firstNumber(await exact(page, 'devices'))).toBeGreaterThan(4900);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await page.close();
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('loads what failed while the server was away once it is back, with no reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The scope list and the device list fail until their queries give up (a server
    // restarting while a wall display boots, seen from the page).
    const failing = /\/api\/v1\/(scopes|devices)(\?|$)/;
    await page.route(failing, (route) => route.abort('connectionrefused'));
    await page.goto(server.url);
    await page.getByText('The list of scopes could not be loaded').waitFor({ timeout: 20_000 });
    await page.getByText('The device list could not be loaded').waitFor({ timeout: 10_000 });
    await page.unroute(failing);

    const port = new URL(server.url).port;
    expect(await server.stop()).toBe(0);
    await page.locator('.conn:not([data-state="live"])').waitFor({ timeout: 5000 });
    server = await startAppServer(env(port));
    await page.locator('.conn[data-state="live"]').waitFor({ timeout: 20_000 });
    // Back without a reload: the scope names, the map that needs them, and the device list.
    await page.getByRole('heading', { level: 1, name: 'World' }).waitFor({ timeout: 10_000 });
    await page.locator('.world-map__canvas[data-ready]').waitFor({ timeout: 30_000 });
    await page.locator('.device-table__body .device-row').first().waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });
});
