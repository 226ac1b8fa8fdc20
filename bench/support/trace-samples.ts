// The V8 sampling profile inside a Chrome trace (category disabled-by-default-v8.cpu_profiler),
// mapped back to the sources through the production build's source maps, so a long task can be
// named by the app's own functions rather than by minified ones.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';

interface CallFrame {
  functionName?: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  parent?: number;
}

export interface ProfileEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  id?: string;
  args?: {
    data?: {
      startTime?: number;
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

/** Samples of one thread: when (trace µs) and which node was on top. */
export interface Samples {
  times: number[];
  leaves: number[];
  nodes: Map<number, ProfileNode>;
}

/** The samples of the profile taken on thread (pid, tid), or null when the trace has none. */
export function samplesOf(
  events: readonly ProfileEvent[],
  pid: number,
  tid: number,
): Samples | null {
  const head = events.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
  if (!head?.id) return null;
  const out: Samples = { times: [], leaves: [], nodes: new Map() };
  let t = head.args?.data?.startTime ?? 0;
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid || e.id !== head.id) continue;
    const data = e.args?.data;
    for (const n of data?.cpuProfile?.nodes ?? []) out.nodes.set(n.id, n);
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      out.times.push(t);
      out.leaves.push(samples[i]!);
    }
  }
  return out;
}

/** Resolves minified frames of the built SPA to `src/…/file.tsx:line` through its source maps. */
export class FrameNames {
  private readonly maps = new Map<string, SourceMap | null>();

  constructor(private readonly distDir: string) {}

  /** The source location of a frame, or null for frames outside the built bundle. */
  name(frame: CallFrame): string | null {
    const path = (frame.url ?? '').replace(/^https?:\/\/[^/]+\//, '');
    if (!path.startsWith('assets/') || frame.lineNumber === undefined) return null;
    let map = this.maps.get(path);
    if (map === undefined) {
      const file = join(this.distDir, `${path}.map`);
      map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null;
      this.maps.set(path, map);
    }
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber ?? 0) as
      { originalSource?: string; originalLine?: number; name?: string } | undefined;
    if (!entry?.originalSource) return null;
    const source = entry.originalSource.replace(/^.*?\/(src|node_modules)\//, '$1/');
    return `${source}:${(entry.originalLine ?? 0) + 1}`;
  }
}

/**
 * What the samples in [from, to] (trace µs) were doing, as the share of samples per frame: for
 * each sample the innermost frame in the app's own sources (src/), else the innermost library
 * frame; the `top` most frequent.
 */
export function hotFrames(
  samples: Samples,
  names: FrameNames,
  from: number,
  to: number,
  top = 4,
): string {
  const counts = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < samples.times.length; i++) {
    const t = samples.times[i]!;
    if (t < from || t > to) continue;
    total++;
    let app: string | null = null;
    let lib: string | null = null;
    for (let id: number | undefined = samples.leaves[i]; id !== undefined;) {
      const node = samples.nodes.get(id);
      if (!node) break;
      const name = names.name(node.callFrame);
      if (name?.startsWith('src/')) {
        app = name;
        break;
      }
      lib ??= name ?? (node.callFrame.functionName ? `(${node.callFrame.functionName})` : null);
      id = node.parent;
    }
    const key = app ?? lib ?? '(idle or native)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (total === 0) return 'no samples';
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, n]) => `${k} ${Math.round((n / total) * 100)} %`)
    .join(', ');
}
