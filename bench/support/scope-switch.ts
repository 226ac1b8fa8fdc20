// Clicks from scope to scope as a person would (a child card, or a breadcrumb step back up) and
// times each click to the moment the KPI strip shows the new scope's figures.
import type { Locator, Page } from 'playwright-core';

export interface ScopeSwitch {
  via: string;
  scope: string;
  /** Click event → the heading names the new scope (the click's own render committed). */
  headingMs: number;
  /** Click event → the Devices tile holds a value of the new scope (DOM committed). */
  shownMs: number;
  /** Click event → the animation frame after that (about when it is painted). */
  frameMs: number;
  /**
   * Click event → the Devices tile's trend line of the new scope is drawn, i.e. its last hour
   * came from history (null: not within 10 s).
   */
  historyMs: number | null;
}

type Step = { child: number } | { crumb: number };

// Down three levels, back up, across: 12 clicks over 3 regions, 4 countries and a site.
const STEPS: Step[] = [
  { child: 0 }, // world → a region
  { child: 0 }, // → a country
  { child: 0 }, // → a site
  { crumb: 0 }, // → world
  { child: 1 }, // → another region
  { child: 1 }, // → a country of it
  { crumb: 1 }, // → back to the region
  { child: 2 }, // → another country
  { crumb: 0 }, // → world
  { child: 2 }, // → a third region
  { child: 0 }, // → a country of it
  { crumb: 0 }, // → world
];

declare global {
  interface Window {
    __switch?: {
      name: string;
      scope: string;
      headingAt: number | null;
      shownAt: number | null;
      frameAt: number | null;
      historyAt: number | null;
    };
  }
}

function target(page: Page, step: Step): { link: Locator; via: string } {
  if ('child' in step) {
    const links = page.locator('.children-table a.child');
    return { link: links.nth(step.child), via: `child card #${step.child + 1}` };
  }
  const crumbs = page.locator('.breadcrumb a');
  return { link: crumbs.nth(step.crumb), via: `breadcrumb #${step.crumb + 1}` };
}

/** Waits until the current scope's KPIs show (so each click starts from a settled page). */
async function settled(page: Page): Promise<void> {
  await page.locator('[data-kpi="devices"] .kpi__value[title]').waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1500);
}

export async function runScopeSwitches(page: Page): Promise<ScopeSwitch[]> {
  const out: ScopeSwitch[] = [];
  for (const step of STEPS) {
    await settled(page);
    const { link, via } = target(page, step);
    // textContent, not innerText: CSS may upper-case what is shown.
    const name = await link.evaluate((el) =>
      (el.querySelector('.child__name') ?? el).textContent.trim(),
    );
    const href = (await link.getAttribute('href')) ?? '';
    const scope = new URLSearchParams(href.replace(/^[^?]*/, '')).get('scope') ?? '';
    // Armed before the click: an observer that notes the first DOM state showing the new
    // scope's name and a Devices value that came from a tick of that scope.
    await page.evaluate(
      ({ name, scope }) => {
        const state = {
          name,
          scope,
          headingAt: null as number | null,
          shownAt: null as number | null,
          frameAt: null as number | null,
          historyAt: null as number | null,
        };
        window.__switch = state;
        const check = () => {
          const h1 = document.querySelector('h1')?.textContent?.trim();
          if (h1 !== state.name) return;
          state.headingAt ??= performance.now();
          // The KPI strip is new with the scope (keyed by it): its trend line is the new one.
          if (document.querySelector('[data-kpi="devices"] .kpi__spark polyline')) {
            state.historyAt ??= performance.now();
          }
          if (state.shownAt === null) {
            const value = document.querySelector('[data-kpi="devices"] .kpi__value[title]');
            const commit = window.__meridianTickTiming?.lastCommit();
            if (!value || commit?.scope !== state.scope) return;
            state.shownAt = performance.now();
            requestAnimationFrame(() => (state.frameAt = performance.now()));
          }
          if (state.historyAt !== null) observer.disconnect();
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
        });
      },
      { name, scope },
    );
    await link.click();
    await page.waitForFunction(() => window.__switch?.frameAt != null, null, { timeout: 15_000 });
    await page
      .waitForFunction(() => window.__switch?.historyAt != null, null, { timeout: 10_000 })
      .catch(() => {}); // reported as not drawn
    const r = await page.evaluate(() => ({
      clickAt: window.__bench!.lastClickAt!,
      headingAt: window.__switch!.headingAt!,
      shownAt: window.__switch!.shownAt!,
      frameAt: window.__switch!.frameAt!,
      historyAt: window.__switch!.historyAt,
    }));
    out.push({
      via,
      scope,
      headingMs: r.headingAt - r.clickAt,
      shownMs: r.shownAt - r.clickAt,
      frameMs: r.frameAt - r.clickAt,
      historyMs: r.historyAt === null ? null : r.historyAt - r.clickAt,
    });
  }
  return out;
}
