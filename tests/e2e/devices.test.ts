import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevicesResponse } from '../../src/protocol/devices.ts';
import type { PlacesResponse } from '../../src/protocol/places.ts';
import { chromiumAvailable, launchBrowser, SCREENSHOTS } from './support/browser.ts';
import { startAppServer, type ServerProcess } from './support/server-process.ts';

const enabled = chromiumAvailable();
let server: ServerProcess;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  if (!enabled) return;
  dataDir = mkdtempSync(join(tmpdir(), 'meridian-e2e-devices-'));
  server = await startAppServer({
    SIM_DEVICES: '5000',
    TICK_MS: '1000',
    DATA_DIR: dataDir,
    PORT: '0',
    BACKFILL_DAYS: '0',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const rowIds = (page: Page) =>
  page.locator('.device-table__body .device-cell--id a').allTextContents();

describe.skipIf(!enabled)('the device explorer in Chromium', () => {
  it('lists offline devices longest first, opens one, and keeps the view in the URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(new URL('/?scope=region:europe', server.url).href);
    const heading = page.locator('#devices-heading');
    await heading.scrollIntoViewIfNeeded();
    await page.locator('.device-table__body .device-row').first().waitFor({ timeout: 15_000 });

    // The page's own first request for the offline view: the table must show what it answered.
    // (A second request made by the test would take a later snapshot, and the simulated fleet
    // churns in between: one device more or less offline.)
    const listed = page.waitForResponse((r) => {
      const u = new URL(r.url());
      return (
        u.pathname === '/api/v1/devices' &&
        u.searchParams.get('status') === 'offline' &&
        u.searchParams.get('sort') === 'since' &&
        !u.searchParams.has('cursor')
      );
    });
    await page.getByRole('button', { name: 'Offline longest first' }).click();
    await page.waitForURL(/status=offline/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('since');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.device-table__body .device-row')].every(
          (r) => r.getAttribute('data-status') === 'offline',
        ),
      undefined,
      { timeout: 10_000 },
    );
    // The table shows what the API listed for this view, in the same order.
    const api = (await (await listed).json()) as DevicesResponse;
    const total = await page.locator('#devices-heading .children__count').textContent();
    expect(Number(total?.replace(/\D/g, ''))).toBe(api.snapshot.total);
    const shown = await rowIds(page);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.slice(0, 3)).toEqual(api.rows.slice(0, 3).map((r) => r.id));
    await page.screenshot({ path: `${SCREENSHOTS}/devices-offline.png` });

    // The status filter applies to the whole page: the tiles count the offline devices only
    // (the same figure the list has, give or take the devices that changed status since).
    const exact = (kpi: string) =>
      page.evaluate((k) => {
        const title = document
          .querySelector(`[data-kpi="${k}"] .kpi__value`)
          ?.getAttribute('title');
        return Number((title ?? '').replace(/[^\d.]/g, '').replace(/\.$/, ''));
      }, kpi);
    await expect.poll(() => exact('connected'), { timeout: 10_000 }).toBe(0);
    const devicesTile = await exact('devices');
    expect(devicesTile).toBe(await exact('offline'));
    expect(Math.abs(devicesTile - api.snapshot.total)).toBeLessThanOrEqual(
      Math.max(3, api.snapshot.total * 0.1),
    );
    expect(await page.locator('[data-kpi="flow"] .kpi__value').getAttribute('title')).toContain(
      '0 bytes per second',
    );
    // The count chart says whose devices it counts.
    await page.getByRole('figure', { name: 'Devices, offline only over the last hour' }).waitFor();

    // Export: the file holds the rows the table shows, in its order, and says what it is.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('# scope: Europe (region:europe)');
    expect(csv).toContain('# filters: status=offline');
    const ids = csv
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(ids).toHaveLength(api.snapshot.total);
    expect(ids.slice(0, shown.length)).toEqual(shown);
    await page.getByText(`Exported ${api.snapshot.total} devices.`).waitFor();

    // Open the first device: its panel, in the URL.
    const id = shown[0]!;
    await page.locator('.device-table__body .device-cell--id a').first().click();
    await page.waitForURL(new RegExp(`device=${id}`));
    const panel = page.getByRole('dialog');
    await expect.poll(() => panel.locator('h2').textContent()).toBe(id);
    await panel.locator('dl').waitFor();
    expect(await panel.textContent()).toContain('offline');
    // Its site on a small map, and its recent traffic saying whose figures they are.
    const locator = panel.locator('svg.site-locator');
    await locator.locator('circle.site-locator__dot').waitFor({ timeout: 15_000 });
    const siteName = (await panel.locator('dd a').first().textContent())!.split(',')[0]!;
    expect(await locator.getAttribute('aria-label')).toContain(`${siteName} on a map`);
    await expect
      .poll(() => panel.getByRole('region', { name: 'Data flow, last hour' }).textContent())
      .toContain('the mean of a connected device at its site.');
    await page.screenshot({ path: `${SCREENSHOTS}/devices-panel.png` });

    // Reload restores the exact view; back closes the panel, forward opens it again.
    await page.reload();
    await page.getByRole('dialog').locator('dl').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('status')).toBe('offline');
    await page.goBack();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.goForward();
    await page.getByRole('dialog').locator('dl').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.close();
  });

  it('searches by id prefix, sorts by a column, and scrolls through every device', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.locator('.device-table__body .device-row').first().waitFor({ timeout: 15_000 });
    const total = Number(
      (await page.locator('#devices-heading .children__count').textContent())?.replace(/\D/g, ''),
    );
    expect(total).toBeGreaterThan(4900);

    // Only the rows in view are in the page, yet scrolling reaches the last device.
    expect(await page.locator('.device-table__body .device-row').count()).toBeLessThan(total);
    const body = page.locator('.device-table__body');
    await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect
      .poll(async () => page.locator(`[aria-rowindex="${total + 1}"] .device-cell--id a`).count(), {
        timeout: 10_000,
      })
      .toBe(1);

    await page.getByRole('button', { name: 'Data rate' }).click();
    await page.waitForURL(/sort=rate/);
    await page.getByRole('button', { name: 'Data rate' }).click();
    await page.waitForURL(/order=desc/);
    expect(
      await page.getByRole('columnheader', { name: 'Data rate' }).getAttribute('aria-sort'),
    ).toBe('descending');

    const prefix = (await rowIds(page))[0]!.slice(0, 6);
    await page.getByLabel('Device id starts with').fill(prefix);
    await page.waitForURL(new RegExp(`q=${prefix}`));
    await page.waitForFunction(
      (p) =>
        [...document.querySelectorAll('.device-table__body .device-cell--id a')].every((a) =>
          a.textContent?.startsWith(p),
        ),
      prefix,
      { timeout: 10_000 },
    );
    await page.close();
  });

  it('drills from the world to a site through the children table, and filters by technology', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    const table = page.locator('.children-table');
    for (const [name, heading] of [
      ['Europe', 'Europe'],
      ['France', 'France'],
      ['Paris', 'Paris'],
    ] as const) {
      await table.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 10_000 });
    }
    expect(new URL(page.url()).searchParams.get('scope')).toBe('site:fr-paris');

    // Back at Europe, one technology: the tiles show the API's count of such devices.
    await page.goto(new URL('/?scope=region:europe', server.url).href);
    await page.locator('.children-table tbody tr').first().waitFor();
    const countries = Number(
      await page.locator('#children-heading .children__count').textContent(),
    );
    await page.getByLabel('Add a technology filter').selectOption('lorawan');
    await page.waitForURL(/tech=lorawan/);
    await page.getByRole('button', { name: 'Remove filter LoRaWAN' }).waitFor();
    const apiTotal = async () =>
      (
        (await (
          await fetch(
            new URL('/api/v1/devices?scope=region:europe&tech=lorawan&limit=1', server.url),
          )
        ).json()) as DevicesResponse
      ).snapshot.total;
    const tileTotal = async () =>
      Number(
        (await page.locator('[data-kpi="devices"] .kpi__value').getAttribute('title'))?.replace(
          /\D/g,
          '',
        ),
      );
    await expect
      .poll(async () => (await tileTotal()) === (await apiTotal()), { timeout: 10_000 })
      .toBe(true);
    // The children table sums to the same figure: every country counts only LoRaWAN devices.
    const sum = await page
      .locator('.children-table tbody tr td:nth-of-type(1)')
      .evaluateAll((cells) =>
        cells.reduce(
          (a, c) =>
            a +
            Number(
              (c.getAttribute('title') ?? '').replace(/ devices.*/, '').replace(/\D/g, '') || 0,
            ),
          0,
        ),
      );
    expect(sum).toBe(await tileTotal());
    // The chart holds LoRaWAN devices only: none of the unfiltered minutes shown before the filter.
    const charted = await page.evaluate(() =>
      (window.__meridian?.chartSeries?.()?.devices ?? []).filter((v) => v !== null),
    );
    expect(charted.length).toBeGreaterThan(0);
    expect(Math.max(...charted)).toBeLessThanOrEqual((await tileTotal()) + 10);
    // Countries without a LoRaWAN device are counted in a note, not listed as rows of zeros.
    const listed = await page
      .locator('.children-table tbody tr td:nth-of-type(1)')
      .evaluateAll((cells) =>
        cells.map((c) =>
          Number((c.getAttribute('title') ?? '').replace(/ devices.*/, '').replace(/\D/g, '') || 0),
        ),
      );
    expect(listed.every((n) => n > 0)).toBe(true);
    const note = page.locator('.children__note[data-hidden]');
    const hidden = (await note.count()) ? Number(await note.getAttribute('data-hidden')) : 0;
    expect(listed.length + hidden).toBe(countries);
    await page.screenshot({ path: `${SCREENSHOTS}/filter-lorawan.png` });

    // The map follows the filter: Paris's dot, under the pointer, counts the API's devices of
    // its most common technology there.
    const paris = (await (
      await fetch(new URL('/api/v1/devices?scope=site:fr-paris&limit=1000', server.url))
    ).json()) as DevicesResponse;
    const byTech = new Map<string, number>();
    for (const r of paris.rows) byTech.set(r.tech, (byTech.get(r.tech) ?? 0) + 1);
    const [tech] = [...byTech].sort((a, b) => b[1] - a[1])[0]!;
    await page.goto(new URL(`/?scope=site:fr-paris&tech=${tech}`, server.url).href);
    await page.waitForFunction(() => typeof window.__meridian?.mapPoint === 'function', undefined, {
      timeout: 20_000,
    });
    const apiAtParis = async () =>
      (
        (await (
          await fetch(
            new URL(`/api/v1/devices?scope=site:fr-paris&tech=${tech}&limit=1`, server.url),
          )
        ).json()) as DevicesResponse
      ).snapshot.total;
    const tooltipDevices = async () => {
      const [x, y] = await page.evaluate(() => window.__meridian!.mapPoint!(2.3522, 48.8566));
      await page.mouse.move(x + 40, y + 40);
      await page.mouse.move(x, y);
      const tip = page.locator('.map-tooltip');
      if (!(await tip.isVisible())) return -1;
      const text = (await tip.locator('dd').first().textContent()) ?? '';
      return Number(text.replace(/\D/g, ''));
    };
    await expect
      .poll(async () => (await tooltipDevices()) === (await apiAtParis()), { timeout: 20_000 })
      .toBe(true);
    await page.close();
  });

  it('shows the last 7 days from history, summarised, back to live in one click, and zooms on a drag', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(new URL('/?scope=region:europe', server.url).href);
    await page.locator('[data-kpi="devices"] .kpi__value[title]').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.waitForURL(/range=7d/);
    const heading = page.locator('.kpis__period');
    await expect.poll(() => heading.textContent(), { timeout: 15_000 }).toMatch(/complete/);
    expect(await heading.textContent()).toMatch(/^Last 7 days: .+ – .+ · [\d.]+ % complete$/);
    expect(await page.locator('[data-kpi="onlinePct"] .kpi__detail').textContent()).toBe(
      'time-weighted average',
    );
    expect(await page.locator('[data-kpi="flow"] .kpi__unit').textContent()).toMatch(/B$/);
    await page
      .getByRole('heading', { name: /^Last 7 days/ })
      .first()
      .waitFor();
    // The breakdowns and the children table show the period too, as the places API has it.
    await page.locator('#children-heading').getByText('means over the period').waitFor();
    const from = Number(new URL(page.url()).searchParams.get('from') ?? NaN);
    expect(Number.isNaN(from)).toBe(true); // a named range: the page computed its own period
    await expect
      .poll(() => page.locator('.breakdown__hint').first().textContent())
      .toBe('devices · online, mean over the period');
    const germany = page.locator('.children-table tr', { hasText: 'Germany' });
    const devicesTitle = () => germany.locator('td').first().getAttribute('title');
    await expect.poll(devicesTitle, { timeout: 10_000 }).toMatch(/^[\d,.]+ devices/);
    const shownDevices = Number((await devicesTitle())!.split(' ')[0]!.replace(/,/g, ''));
    const now = Date.now();
    const places = (await (
      await fetch(
        new URL(
          `/api/v1/history/places?scope=region:europe&from=${now - 7 * 86_400_000}&to=${now}`,
          server.url,
        ),
      )
    ).json()) as PlacesResponse;
    // The period's mean moves a little as the page's and this request's "now" differ.
    expect(shownDevices).toBeGreaterThan(0);
    expect(Math.abs(shownDevices - places.children['country:DE']!.devices)).toBeLessThan(
      shownDevices * 0.05,
    );
    expect(await page.locator('.children-table th', { hasText: 'Trend' }).count()).toBe(0);
    expect(await page.locator('.map-legend__title').textContent()).toBe(
      'Sites, online share (time-weighted over the period)',
    );
    // Into a country within the period: only the country's history is read. (The old scope's
    // parts, which follow the click a render later, must not read theirs again meanwhile.)
    const scopesRead: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/history')) {
        scopesRead.push(new URL(r.url()).searchParams.get('scope') ?? '');
      }
    });
    await germany.locator('a.child').click();
    await page.waitForURL(/scope=country(:|%3A)DE/);
    await page.locator('#children-heading').getByText('means over the period').waitFor();
    await page.waitForTimeout(1500);
    expect(scopesRead.length).toBeGreaterThan(0);
    expect(new Set(scopesRead)).toEqual(new Set(['country:DE']));
    // A mistyped custom range says so and stays live.
    await page.goto(
      new URL('/?scope=region:europe&from=2026-11-27&to=2026-11-20', server.url).href,
    );
    await page.getByText('The link’s range ends before it starts').waitFor();
    await page.goto(new URL('/?scope=region:europe&range=7d', server.url).href);
    await page.getByRole('button', { name: 'Back to live' }).click();
    await page.waitForURL((url) => !url.searchParams.has('range'));
    await page.locator('[data-kpi="devices"] .kpi__change').waitFor();

    // Drag across the chart: that stretch, from history. The live charts replace the period's a
    // render after the KPIs (app.tsx): wait for them, or the plot found may be the old one.
    await page.locator('#charts-heading').getByText('Last hour').waitFor();
    const plot = page.locator('.chart__plot').first();
    await plot
      .locator('.recharts-line-curve')
      .first()
      .waitFor({ state: 'attached', timeout: 15_000 });
    const box = (await plot.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.35, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 8 });
    await page.mouse.move(box.x + box.width * 0.85, y, { steps: 8 });
    await page.mouse.up();
    await page.waitForURL(/from=\d+&to=\d+/);
    const url = new URL(page.url());
    const span = Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'));
    expect(span).toBeGreaterThan(5 * 60_000); // about half of the hour shown
    expect(span).toBeLessThan(60 * 60_000);
    await expect.poll(() => page.locator('.kpis__period').textContent()).toMatch(/^Custom range/);
    await page.close();
  });
});
