// Builds the SPA with Vite when any of its sources is newer than dist/client/index.html.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const inputs = [
  'src/client',
  'src/protocol',
  'public',
  'index.html',
  'vite.config.ts',
  'package-lock.json',
  'scripts/build-if-stale.mjs',
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

/** Rebuilds dist/server/main.mjs when a server source is newer; true when it built. */
export async function buildServerIfStale() {
  const built = join(root, 'dist/server/main.mjs');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const sources = ['src/server', 'src/protocol', 'package-lock.json', 'scripts/build-server.mjs'];
  if (Math.max(...sources.map((p) => newest(join(root, p)))) <= builtAt) return false;
  const { buildServer } = await import('./build-server.mjs');
  await buildServer();
  return true;
}

/** Returns true when it had to build. */
export function buildIfStale() {
  const builtIndex = join(root, 'dist/client/index.html');
  const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
  const sourcesAt = Math.max(...inputs.map((p) => newest(join(root, p))));
  if (sourcesAt <= builtAt) return false;
  console.log(
    builtAt
      ? 'meridian: dashboard sources changed, rebuilding…'
      : 'meridian: building the dashboard (first start)…',
  );
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
      // Always the production build: a caller's NODE_ENV (vitest sets "test") would otherwise
      // bundle React's development build, several times slower on every tick.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  return true;
}
