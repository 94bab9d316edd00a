import { defineConfig } from 'vitest/config';

// The WordPress plugin end to end (test/wp-e2e): Debian's Chromium (playwright-core) against a real
// WordPress and the reference PBX stack. No global setup: scripts/wp/test-wp-e2e.sh starts and stops both
// stacks and passes where they are in the environment (VODIA_WP_SITE_JSON, VODIA_PBX_RUN_DIR); run it
// through that script (npm run test:wp-e2e).
//
// One test at a time, in order: the tests build on each other (settings, posts, the author) and share
// WordPress and the far end. Timeouts are generous: a test may place a call and wait for the far end
// to hang up, on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/wp-e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    sequence: { concurrent: false, shuffle: false },
  },
});
