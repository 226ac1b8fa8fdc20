// Where the page's main thread spends its time, from a Chrome trace: each top-level task of
// the renderer's main thread is put in one class by what started it. Used to say what the long
// tasks are; tracing slows the page a little, so it runs after the untraced measurements.
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { FrameNames, hotFrames, samplesOf, type ProfileEvent } from './trace-samples.ts';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread time: the part of `dur` the thread was running on a core. */
  tdur?: number;
  args?: {
    name?: string;
    data?: { functionName?: string; type?: string; url?: string; lineNumber?: number };
  };
}

export type TaskKind =
  | 'socket message (a tick)'
  | 'timer'
  | 'animation frame (MapLibre draws)'
  | 'message from the map worker'
  | 'compositor commit reading back the WebGL canvas'
  | 'compositor commit, other'
  | 'input and other events'
  | 'other';

export interface KindStats {
  kind: TaskKind;
  tasks: number;
  busyMs: number;
  longTasks: number;
  /** Long tasks that also ran > 50 ms on a core (the rest waited for one). */
  longOnCpu: number;
  longestMs: number;
  /** Each task's wall time and its thread time (on a core), ms, in the order they ran. */
  wallMs: number[];
  cpuMs: number[];
}

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'gpu',
  'cc',
  // Stacks sampled about every 0.1 ms, to name what a long task ran (see trace-samples.ts).
  'disabled-by-default-v8.cpu_profiler',
];

function classify(inner: readonly TraceEvent[]): TaskKind {
  const names = new Set(inner.map((e) => e.name));
  if (names.has('GLES2::ReadPixels') && names.has('ProxyMain::BeginMainFrame')) {
    return 'compositor commit reading back the WebGL canvas';
  }
  const first = inner.find((e) =>
    [
      'FunctionCall',
      'TimerFire',
      'FireAnimationFrame',
      'HandlePostMessage',
      'EventDispatch',
      'ProxyMain::BeginMainFrame',
    ].includes(e.name),
  );
  if (!first) return 'other';
  switch (first.name) {
    case 'TimerFire':
      return 'timer';
    case 'FireAnimationFrame':
      return 'animation frame (MapLibre draws)';
    case 'HandlePostMessage':
      return 'message from the map worker';
    case 'ProxyMain::BeginMainFrame':
      return names.has('FireAnimationFrame')
        ? 'animation frame (MapLibre draws)'
        : 'compositor commit, other';
    case 'EventDispatch':
      return first.args?.data?.type === 'message'
        ? 'message from the map worker'
        : 'input and other events';
    default:
      return first.args?.data?.functionName === 'ws.onmessage'
        ? 'socket message (a tick)'
        : 'other';
  }
}

/** Tasks this soon after the trace starts are not counted (see below). */
const WARM_UP_MS = 1000;

/** Traces the page for `ms` and sums its main thread's top-level tasks by kind. */
export async function traceMainThread(
  page: Page,
  ms: number,
  distDir = 'dist/client',
): Promise<{ windowMs: number; kinds: KindStats[]; long: LongTaskDetail[] }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => {
    events.push(...(e.value as TraceEvent[]));
  });
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  );
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: CATEGORIES },
  });
  await page.waitForTimeout(WARM_UP_MS + ms);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  // The raw trace, for a look in chrome://tracing or another analysis.
  if (process.env.BENCH_CLIENT_TRACE_FILE) {
    writeFileSync(process.env.BENCH_CLIENT_TRACE_FILE, JSON.stringify({ traceEvents: events }));
  }

  const mainThread = events.find(
    (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  if (!mainThread) return { windowMs: ms, kinds: [], long: [] };
  const onMain = events
    .filter((e) => e.pid === mainThread.pid && e.tid === mainThread.tid && e.ph === 'X')
    .sort((a, b) => a.ts - b.ts);
  // The first task after the start is V8's sampler logging every function on the heap
  // (300-700 ms here, "heap object iterator"): the trace's own cost, not the page's.
  const from = (onMain.find((e) => e.ts > 0)?.ts ?? 0) + WARM_UP_MS * 1000;
  const tasks = onMain.filter((e) => e.name === 'RunTask' && e.ts >= from);
  const samples = samplesOf(events as ProfileEvent[], mainThread.pid, mainThread.tid);
  const names = new FrameNames(distDir);
  const stats = new Map<TaskKind, KindStats>();
  const long: LongTaskDetail[] = [];
  let i = 0;
  let lastEnd = 0;
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    if (task.ts < lastEnd) continue; // a task run inside another one is counted with it
    lastEnd = end;
    while (i < onMain.length && onMain[i]!.ts < task.ts) i++;
    const inner: TraceEvent[] = [];
    for (let j = i; j < onMain.length && onMain[j]!.ts < end; j++) {
      if (onMain[j] !== task) inner.push(onMain[j]!);
    }
    const kind = classify(inner);
    const durMs = (task.dur ?? 0) / 1000;
    const cpuMs = (task.tdur ?? task.dur ?? 0) / 1000;
    const s = stats.get(kind) ?? {
      kind,
      tasks: 0,
      busyMs: 0,
      longTasks: 0,
      longOnCpu: 0,
      longestMs: 0,
      wallMs: [],
      cpuMs: [],
    };
    s.tasks++;
    s.busyMs += durMs;
    s.wallMs.push(durMs);
    s.cpuMs.push(cpuMs);
    if (durMs > 50) {
      s.longTasks++;
      if (cpuMs > 50) s.longOnCpu++;
      long.push({
        kind,
        ms: durMs,
        cpuMs,
        inside: longestInside(inner),
        ran: samples ? hotFrames(samples, names, task.ts, end) : 'no samples',
      });
    }
    s.longestMs = Math.max(s.longestMs, durMs);
    stats.set(kind, s);
  }
  return {
    windowMs: ms,
    kinds: [...stats.values()].sort((a, b) => b.busyMs - a.busyMs),
    long,
  };
}

/** A long task and what took its time: the longest events inside it, by name. */
export interface LongTaskDetail {
  kind: TaskKind;
  ms: number;
  /** Of which on a core (thread time). */
  cpuMs: number;
  inside: string;
  /** The functions its samples were in, as source locations with their share. */
  ran: string;
}

function longestInside(inner: readonly TraceEvent[]): string {
  const byName = new Map<string, number>();
  for (const e of inner) {
    // A function call is named by what was called: "FunctionCall onmessage@maplibre-gl…:1".
    const d = e.args?.data;
    const name =
      e.name === 'FunctionCall' && d
        ? `FunctionCall ${d.functionName || '(anonymous)'}@${(d.url ?? '').split('/').pop()}:${d.lineNumber ?? '?'}`
        : e.name;
    byName.set(name, Math.max(byName.get(name) ?? 0, (e.dur ?? 0) / 1000));
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ');
}
