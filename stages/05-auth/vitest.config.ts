import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One database for the whole run, created and migrated once (test/global-setup.ts).
    globalSetup: ['./test/global-setup.ts'],
    // Empties every table before each test (test/setup.ts).
    setupFiles: ['./test/setup.ts'],
    // Files share that database, and setup.ts truncates it: one file at a time.
    fileParallelism: false,
    // …and in one reused worker: importing the app afresh for each of ~30 files costs more than
    // the tests themselves. Each file still closes its own pool (setup.ts).
    isolate: false,
    // The embedded PGlite fallback needs a few seconds to start.
    hookTimeout: 60_000,
  },
});
