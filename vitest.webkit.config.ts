import { defineConfig } from 'vitest/config';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { ensureWebKit } from './scripts/lib/webkit.mjs';

// The built popup and binder in Debian's WebKitGTK (MiniBrowser), a real browser without WebRTC, over
// WebDriver. The global setup starts Xvfb and WebKitWebDriver once and stops them at the end.
//
// The Debian packages are installed here, before any test runs (as root; otherwise the exact apt-get line
// is printed): an install does not fit in a hook's time.
ensureWebKit();

export default defineConfig({
  test: {
    include: ['test/webkit/**/*.webkit.test.ts'],
    environment: 'node',
    globalSetup: ['test/webkit/global-setup.ts'],
    // Above the sum of one test's own bounded waits (the binder test: 44 s), so a slow step fails with its name.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
