import { defineConfig } from 'vitest/config';

// The root project tests only the root commands (scripts/); shared and every stage have their own
// vitest config, and `pnpm test` runs each of them.
export default defineConfig({
  test: {
    include: ['scripts/test/**/*.test.ts'],
    // the tests spawn the commands as a user would, some of which start vitest or Chromium
    testTimeout: 60_000,
    // …and mostly wait for those processes: files run side by side, more of them than cores.
    maxWorkers: 4,
    hookTimeout: 60_000,
  },
});
