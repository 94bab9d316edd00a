import { defineConfig } from 'vitest/config';

// Tests of the built files (dist/): the popup and binder in a real Chromium.
// One file at a time, since each drives a browser (and the e2e
// suites a PBX stack) that two files at once would fight over on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // Tests marked concurrent (the accessibility matrix) run two at a time: two cores.
    maxConcurrency: 2,
  },
});
