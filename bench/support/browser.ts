// The browser for the client benchmarks: the e2e tests' launch (software WebGL, software
// compositing), or with BENCH_CLIENT_GPU_COMPOSITING=1 SwiftShader behind the GPU process's
// compositor instead, which spares the page's main thread the read-back of the WebGL canvas
// that software compositing does on every map frame (see BENCHMARKS.md).
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, launchBrowser } from '../../tests/e2e/support/browser.ts';

export const GPU_COMPOSITING = process.env.BENCH_CLIENT_GPU_COMPOSITING === '1';

export function launchBenchBrowser(): Promise<Browser> {
  if (!GPU_COMPOSITING) return launchBrowser();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
      '--ignore-gpu-blocklist',
      '--enable-gpu-compositing',
    ],
  });
}
