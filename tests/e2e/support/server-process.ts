import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { buildIfStale } from '../../../scripts/build-if-stale.mjs';

export interface ServerProcess {
  url: string;
  lines: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Builds the SPA if stale (as `npm start` does), then starts the real server process. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  buildIfStale();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
  const until = Date.now() + 30_000;
  let url = '';
  while (!url) {
    const line = lines.find((l) => l.includes('Meridian is listening'));
    if (line) url = (JSON.parse(line) as { url: string }).url;
    else if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${lines.join('\n')}`);
    } else await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    lines,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
