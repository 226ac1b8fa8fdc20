import { buildIfStale } from '../../../scripts/build-if-stale.mjs';
import { startServerProcess, type ServerProcess } from '../../support/server-process.ts';

export type { ServerProcess };

/** Builds the SPA if stale (as `npm start` does), then starts the real server process. */
export async function startAppServer(env: Record<string, string>): Promise<ServerProcess> {
  buildIfStale();
  return startServerProcess(env);
}
