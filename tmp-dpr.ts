// Experiment (not committed): long tasks while ticking at several map pixel ratios.
import { launchBrowser } from './tests/e2e/support/browser.ts';
const url = process.argv[2]!;
const ratios = (process.argv[3] ?? '1,0.5').split(',').map(Number);
const browser = await launchBrowser();
for (const dpr of ratios) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.addInitScript((dpr) => {
    (window as any).__lt = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) (window as any).__lt.push(e.duration); }).observe({ type: 'longtask', buffered: true });

    (window as any).__drawn = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf((t) => { const s = performance.now(); cb(t); if (performance.now() - s > 0.5) (window as any).__drawn++; });
  }, dpr);
  if (dpr !== 1) await page.addInitScript({ content: `Object.defineProperty(window, 'devicePixelRatio', { get() { return ${dpr}; }, configurable: true });` });
  await page.goto(url);
  await page.locator('.world-map__canvas[data-ready]').waitFor({ timeout: 120_000 });
  await page.waitForTimeout(5000);
  await page.evaluate(() => { (window as any).__lt = []; (window as any).__drawn = 0; });
  await page.waitForTimeout(30_000);
  const lt = await page.evaluate(() => (window as any).__lt as number[]);
  const drawn = await page.evaluate(() => [(window as any).__drawn, window.devicePixelRatio, (window as any).__err]);
  const canvas = await page.evaluate(() => { const c = document.querySelector('canvas.maplibregl-canvas') as HTMLCanvasElement; return `${c.width}x${c.height} css ${c.style.width}`; });
  lt.sort((a, b) => a - b);
  console.log(`drawn ${drawn} dpr ${dpr} canvas ${canvas}: ${lt.length} long tasks in 30 s, median ${lt[lt.length >> 1] ?? 0} ms, max ${lt.at(-1) ?? 0} ms`);
  if (process.argv[4]) await page.screenshot({ path: `/tmp/shots/dpr-${dpr}.png` });
  await page.close();
}
await browser.close();
