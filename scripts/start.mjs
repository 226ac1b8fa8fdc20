// `npm start`: build the SPA only when a source is newer than the last build, then run the
// server in this same process (so signals reach it directly).
import { buildIfStale } from './build-if-stale.mjs';

buildIfStale();
const { register } = await import('tsx/esm/api');
register();
await import('../src/server/main.ts');
