import { defineConfig } from 'vitest/config';

// The network lab (scripts/lab/lab.sh): network namespaces for visitor, home router and internet, with the
// reference PBX, coturn and nginx on the internet side. One lab for the run (global setup), one file at a
// time: the router's firewall mode is shared. Needs root (ip netns).
export default defineConfig({
  test: {
    include: ['test/lab/**/*.lab.test.ts'],
    environment: 'node',
    globalSetup: ['scripts/lab/vitest-global-setup.mjs'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
