import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and multi-process suites are heavy on a 2-core machine: keep parallelism modest.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
