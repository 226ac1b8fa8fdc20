// What the client benchmarks observe inside the page, installed before any of the app's scripts
// run (page.addInitScript). Every list is bounded, so a long run cannot grow the page's heap
// through the probes themselves beyond a few hundred kB.
import type { Page } from 'playwright-core';

export interface LongTask {
  start: number;
  duration: number;
}

export interface FrameStats {
  /** Intervals between consecutive animation frames, ms. */
  gaps: number[];
  /** Per frame: time spent in the page's own rAF callbacks (MapLibre's render), ms. */
  callbackMs: number[];
}

export interface BenchProbes {
  /** performance.now() when the Devices tile first showed a value (its exact title). */
  firstKpiAt: number | null;
  longTasks: LongTask[];
  /** Frame recording: started and stopped by the benchmark. */
  startFrames(): void;
  stopFrames(): FrameStats;
  /** Time stamp of the latest `click` event (its event.timeStamp), for the scope switch. */
  lastClickAt: number | null;
}

declare global {
  interface Window {
    __bench?: BenchProbes;
  }
}

const MAX_ENTRIES = 20_000;

/** Runs in the page before its scripts; self-contained (it is serialised). */
function install(maxEntries: number): void {
  const longTasks: LongTask[] = [];
  let recording = false;
  let gaps: number[] = [];
  let callbackMs: number[] = [];
  let frameCallbacks = 0;
  let lastFrame: number | null = null;

  // Time every rAF callback of the page. Only MapLibre asks for frames (React and Recharts
  // do not), so this is the map's main-thread time per frame. The probe's own loop is not counted.
  const nativeRaf = window.requestAnimationFrame.bind(window);
  const ownLoop = new WeakSet<FrameRequestCallback>();
  window.requestAnimationFrame = (cb: FrameRequestCallback): number =>
    nativeRaf((ts) => {
      if (ownLoop.has(cb)) return cb(ts);
      const t0 = performance.now();
      try {
        cb(ts);
      } finally {
        frameCallbacks += performance.now() - t0;
      }
    });
  const loop: FrameRequestCallback = (ts) => {
    if (!recording) return;
    if (lastFrame !== null && gaps.length < maxEntries) {
      gaps.push(ts - lastFrame);
      callbackMs.push(frameCallbacks);
    }
    frameCallbacks = 0;
    lastFrame = ts;
    window.requestAnimationFrame(loop);
  };
  ownLoop.add(loop);

  const probes: BenchProbes = {
    firstKpiAt: null,
    longTasks,
    lastClickAt: null,
    startFrames() {
      gaps = [];
      callbackMs = [];
      lastFrame = null;
      frameCallbacks = 0;
      if (!recording) {
        recording = true;
        window.requestAnimationFrame(loop);
      }
    },
    stopFrames() {
      recording = false;
      return { gaps, callbackMs };
    },
  };
  window.__bench = probes;

  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (longTasks.length < maxEntries)
        longTasks.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'longtask', buffered: true });

  // Capture phase on window: before the app's own handlers run.
  window.addEventListener('click', (e) => (probes.lastClickAt = e.timeStamp), true);

  const kpiShown = () => document.querySelector('[data-kpi="devices"] .kpi__value[title]') !== null;
  const observer = new MutationObserver(() => {
    if (probes.firstKpiAt === null && kpiShown()) {
      probes.firstKpiAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['title', 'data-kpi'],
  });
}

export async function installProbes(page: Page): Promise<void> {
  // tsx compiles with esbuild's keepNames, which wraps named functions in `__name(...)`; the
  // functions this file and the benchmarks hand to the page need that helper there too.
  const shim = 'globalThis.__name ??= (fn) => fn;';
  await page.addInitScript({ content: `${shim}\n(${install.toString()})(${MAX_ENTRIES});` });
}
