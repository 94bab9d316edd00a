import { defineConfig } from 'vitest/config';

// The npm package and the release zips as a user gets them (test/package): `npm pack`, an offline install into
// an empty folder, the ESM API in Node, a consumer's type check, the installed binder and popup in Debian's
// Chromium (playwright-core), and `npm run release`. Needs the build (npm run build; npm test builds first).
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
