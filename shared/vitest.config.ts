import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The embedded PGlite needs 2–3 s to create a data dir, more on a busy machine.
    hookTimeout: 60_000,
    testTimeout: 20_000,
    // The files mostly wait (PGlite, child processes, CREATE/DROP DATABASE): side by side, more
    // of them than cores.
    maxWorkers: 2,
  },
});
