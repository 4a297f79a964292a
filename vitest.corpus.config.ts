import { defineConfig } from 'vitest/config';

// The shared license corpus is measured separately from `npm test`: it is real text, not our fixtures.
export default defineConfig({
  test: {
    include: ['test/corpus/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
