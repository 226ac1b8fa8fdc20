// Runs mqtt-worker.ts from source (tests, tsx): a worker thread does not inherit the parent's
// TypeScript loader. The bundled server starts dist/server/mqtt-worker.mjs instead.
import { tsImport } from 'tsx/esm/api';

await tsImport('./mqtt-worker.ts', import.meta.url);
