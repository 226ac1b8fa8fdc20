import { defineConfig } from 'vitest/config';

// Browser tests: Debian's Chromium driven by playwright-core against a production build and a
// real server process. One file at a time: each starts its own server and browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
