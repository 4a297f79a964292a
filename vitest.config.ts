import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/corpus/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Spawned CLIs and real servers: keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
  },
});
