// `npm start`: build the SPA and the server bundle only when a source is newer than the last
// build, then run the server in this same process (so signals reach it directly).
import { buildIfStale, buildServerIfStale } from './build-if-stale.mjs';

buildIfStale();
await buildServerIfStale();
await import('../dist/server/main.mjs');
