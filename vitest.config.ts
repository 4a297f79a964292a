import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/corpus/**', 'node_modules/**'],
    // One build before every run: the spawned smoke tests never see a stale dist/.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Three files at once on a 2-core machine: the slowest files mostly wait (1-second schedules, slow fake pages,
    // process start-up), so a third one fills the idle CPU; more would starve the timing-sensitive ones.
    maxWorkers: 3,
  },
});
