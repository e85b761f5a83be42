import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  // Configs import solida as users write it ('solida'); in tests that is the sources (as in tsconfig.json paths).
  resolve: {
    alias: [
      { find: /^solida$/, replacement: src('index.ts') },
      { find: /^solida\/exporter$/, replacement: src('exporter/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real Prometheus/PostgreSQL/HAProxy processes: 2 cores, keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
