// `npm start`: build the SPA and the server bundle only when a source is newer than the last
// build, then run the server in this same process (so signals reach it directly).
import { buildIfStale, buildServerIfStale } from './build-if-stale.mjs';

buildIfStale();
await buildServerIfStale();
// A built file: resolved at run time, after the build above.
await import(new URL('../dist/server/main.mjs', import.meta.url).href);
