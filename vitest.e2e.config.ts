import { defineConfig } from 'vitest/config';

// Real calls: the reference PBX stack (started once by the global setup), the built binder and
// popup, Debian's Chromium. One test at a time: they share the far end.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 45_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
