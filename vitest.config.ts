import { defineConfig } from 'vitest/config';

// Pure modules run in plain Node; DOM tests opt into happy-dom with a docblock.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
  },
});
