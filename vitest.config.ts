import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real Prometheus/PostgreSQL/HAProxy processes: 2 cores, keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
