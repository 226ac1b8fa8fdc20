// Heap of a page and of its dedicated workers (MapLibre's) through the Chrome DevTools Protocol.
// Playwright gives CDP sessions for pages only, so workers are reached through the page
// session's auto-attach in non-flattened mode: commands go in Target.sendMessageToTarget and
// answers come back as Target.receivedMessageFromTarget events.
import type { CDPSession, Page } from 'playwright-core';

export interface HeapUsage {
  /** V8 heap in use, bytes. */
  usedSize: number;
  /** Blink's own heap (DOM nodes and the like), bytes. */
  embedderHeapUsedSize: number;
  /** Backing stores of ArrayBuffers, bytes. */
  backingStorageSize: number;
}

export interface TargetHeap extends HeapUsage {
  target: string;
}

interface Attached {
  sessionId: string;
  type: string;
  url: string;
}

interface AttachedEvent {
  sessionId: string;
  targetInfo: { type: string; url: string };
}

export class HeapMeter {
  private readonly workers = new Map<string, Attached>();
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', (e: AttachedEvent) => {
      this.workers.set(e.sessionId, {
        sessionId: e.sessionId,
        type: e.targetInfo.type,
        url: e.targetInfo.url,
      });
    });
    cdp.on('Target.detachedFromTarget', (e: { sessionId: string }) => {
      this.workers.delete(e.sessionId);
    });
    cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
      const msg = JSON.parse(e.message) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p || msg.id === undefined) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
  }

  /** Attach before the page loads, so that every worker it starts is seen. */
  static async attach(page: Page): Promise<HeapMeter> {
    const cdp = await page.context().newCDPSession(page);
    const meter = new HeapMeter(cdp);
    await cdp.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: false,
      flatten: false,
    });
    return meter;
  }

  /** Worker targets attached so far (type and script URL). */
  get targets(): { type: string; url: string }[] {
    return [...this.workers.values()].map(({ type, url }) => ({ type, url }));
  }

  private sendToWorker<T>(sessionId: string, method: string, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} in a worker: no answer after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      void this.cdp
        .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) })
        .catch(reject);
    });
  }

  /** Full GC (twice, so that finalisers' garbage goes too) in the page and every worker. */
  async collectGarbage(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await this.cdp.send('HeapProfiler.collectGarbage');
      for (const w of this.workers.values()) {
        await this.sendToWorker(w.sessionId, 'HeapProfiler.collectGarbage');
      }
    }
  }

  /** Heap in use now, per target: the page first, then each worker. */
  async usage(): Promise<TargetHeap[]> {
    const page = (await this.cdp.send('Runtime.getHeapUsage')) as HeapUsage;
    const out: TargetHeap[] = [{ target: 'page', ...pick(page) }];
    for (const w of this.workers.values()) {
      const u = await this.sendToWorker<HeapUsage>(w.sessionId, 'Runtime.getHeapUsage');
      out.push({ target: `${w.type} ${w.url.split('/').pop() ?? w.url}`, ...pick(u) });
    }
    return out;
  }

  /** Blink's counters: documents, DOM nodes and event listeners alive in the page. */
  async domCounters(): Promise<{ documents: number; nodes: number; jsEventListeners: number }> {
    return (await this.cdp.send('Memory.getDOMCounters')) as {
      documents: number;
      nodes: number;
      jsEventListeners: number;
    };
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => {});
  }
}

function pick(u: HeapUsage): HeapUsage {
  return {
    usedSize: u.usedSize,
    embedderHeapUsedSize: u.embedderHeapUsedSize,
    backingStorageSize: u.backingStorageSize,
  };
}
