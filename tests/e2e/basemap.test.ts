import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, SCREENSHOTS } from './support/browser.ts';
import { startAppServer, type ServerProcess } from './support/server-process.ts';

// A tile server of one's own, as MAP_STYLE_URL expects: a MapLibre style JSON on another
// origin. This one paints the world magenta, which no part of Meridian's own map uses.
const MAGENTA = [0xff, 0x00, 0xff];
const enabled = chromiumAvailable();
let styleServer: Server;
let styleUrl: string;
let serveStyle = true;
let server: ServerProcess;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  if (!enabled) return;
  styleServer = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    if (req.url !== '/style.json' || !serveStyle) {
      res.writeHead(404).end('not here');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        version: 8,
        sources: {},
        layers: [{ id: 'paper', type: 'background', paint: { 'background-color': '#ff00ff' } }],
      }),
    );
  });
  await new Promise<void>((resolve) => styleServer.listen(0, '127.0.0.1', resolve));
  styleUrl = `http://127.0.0.1:${(styleServer.address() as AddressInfo).port}/style.json`;
  dataDir = mkdtempSync(join(tmpdir(), 'meridian-e2e-basemap-'));
  server = await startAppServer({
    SIM_DEVICES: '5000',
    DATA_DIR: dataDir,
    BACKFILL_DAYS: '0',
    MAP_STYLE_URL: styleUrl,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  styleServer?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Share of the map's pixels close to `rgb`. */
async function shareOf(page: Page, rgb: number[]): Promise<number> {
  const png = await page.locator('.world-map canvas').screenshot();
  return page.evaluate(
    async ({ b64, target }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let near = 0;
      for (let i = 0; i < data.length; i += 4) {
        const d =
          Math.abs(data[i]! - target[0]!) +
          Math.abs(data[i + 1]! - target[1]!) +
          Math.abs(data[i + 2]! - target[2]!);
        if (d < 30) near++;
      }
      return near / (data.length / 4);
    },
    { b64: png.toString('base64'), target: rgb },
  );
}

async function openMap(page: Page): Promise<void> {
  await page.goto(server.url);
  await page.locator('.conn[data-state="live"]').waitFor({ timeout: 10_000 });
  await page.locator('.world-map__canvas[data-ready]').waitFor({ timeout: 40_000 });
  // Sites arrive with the next tick.
  await page.waitForTimeout(1500);
}

describe.skipIf(!enabled)('a basemap of one’s own (MAP_STYLE_URL)', () => {
  it('draws the configured style under the countries and sites', async () => {
    serveStyle = true;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openMap(page);
    await page.screenshot({ path: `${SCREENSHOTS}/basemap-own.png` });
    // Most of the map is the basemap's magenta (the countries over it are only for clicks), and
    // the sites are drawn on top of it.
    await page.addStyleTag({
      content: '.map-legend, .maplibregl-control-container { visibility: hidden; }',
    });
    const magenta = await shareOf(page, MAGENTA);
    expect(magenta).toBeGreaterThan(0.5);
    expect(1 - magenta).toBeGreaterThan(0.005);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await page.close();
  }, 90_000);

  it('falls back to the offline map and says why when the style cannot be loaded', async () => {
    serveStyle = false;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openMap(page);
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      `The map style at ${styleUrl} could not be loaded (HTTP 404)`,
    );
    expect(await shareOf(page, MAGENTA)).toBe(0);
    // The offline basemap's sea.
    expect(await shareOf(page, [0x0a, 0x16, 0x22])).toBeGreaterThan(0.2);
    await page.screenshot({ path: `${SCREENSHOTS}/basemap-fallback.png` });
    await page.close();
  }, 90_000);
});
