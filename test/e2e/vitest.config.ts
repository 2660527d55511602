import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** End-to-end tests: a real server child process and a headless Chromium. Run with `npm run test:e2e`. */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    // Starting a server runs the demo's classification and monitoring first: minutes on a busy 2-core machine.
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
