import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { buildServerIfStale } from '../../scripts/build-if-stale.mjs';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  lines: string[];
  /** CPU time (user + system) the server process has used so far, in ms. */
  cpuMs(): number;
  /** Resident set size of the server process now, in bytes. */
  rss(): number;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

const running = new Set<ChildProcess>();
// Whatever happens to this process, its server does not outlive it.
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

/**
 * Runs the real entry point as `npm start` does (the server bundle, rebuilt if stale) on a
 * free loopback port. Used by benchmarks and browser tests; the child never outlives this process.
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  await buildServerIfStale();
  const child = spawn(process.execPath, [...nodeArgs, 'dist/server/main.mjs'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const { url, lines } = await waitForListening(child, timeoutMs);
  const pid = child.pid!;
  return {
    child,
    url,
    lines,
    cpuMs() {
      // Fields after the ")" of the command name: utime is the 12th, stime the 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
    },
    rss() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit') as Promise<[number | null]>;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * Collects a started server's output and waits for its "Meridian is listening" line; the child
 * is killed, and its output thrown, if it exits or takes longer than `timeoutMs`.
 */
export async function waitForListening(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ url: string; lines: string[] }> {
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const line = lines.find((l) => l.includes('Meridian is listening'));
    if (line) return { url: (JSON.parse(line) as { url: string }).url, lines };
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
