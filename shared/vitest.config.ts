import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The embedded PGlite needs 2–3 s to create a data dir alone, and was seen past 20 s beside
    // this suite's other PGlite files on a busy 2-core machine: a slow start is no failure.
    hookTimeout: 90_000,
    testTimeout: 90_000,
    // The files mostly wait (PGlite, child processes, CREATE/DROP DATABASE): side by side, more
    // of them than cores.
    maxWorkers: 2,
  },
});
