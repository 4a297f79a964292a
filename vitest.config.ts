import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/corpus/**', 'node_modules/**'],
    // One build before every run: the spawned smoke tests never see a stale dist/.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real servers and a few spawned processes: keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
  },
});
