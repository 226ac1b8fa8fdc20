import { readFileSync } from 'node:fs';

/** The package version; it reaches browsers at connect so open pages reload after an upgrade. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
