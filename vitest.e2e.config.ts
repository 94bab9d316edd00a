import { defineConfig } from 'vitest/config';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { BROWSERS, ensureBrowsers } from './scripts/lib/browsers.mjs';

// Real calls: the reference PBX stack (started once by the global setup), the built binder and
// popup, Debian's Chromium and Firefox ESR (VODIA_E2E_BROWSERS=chromium,firefox picks; default both).
// One test at a time: they share the far end.
//
// The browsers' Debian packages are installed here, before any test runs (as root; otherwise the exact
// apt-get line is printed): a fresh machine may lack firefox-esr, and an install does not fit in a hook's time.
ensureBrowsers(BROWSERS);

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
