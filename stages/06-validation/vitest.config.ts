import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A template database, created and migrated once per run (test/support/global-setup.ts); each
    // worker copies it into its own database (test/support/db-helpers.ts), so files run in
    // parallel.
    globalSetup: ['./test/support/global-setup.ts'],
    // Empties every table of the worker's database before each test (test/support/setup.ts).
    setupFiles: ['./test/support/setup.ts'],
    // bcrypt's minimum cost for whatever reads the config in tests (db:seed's default, a spawned
    // lab or server): a hash takes ≈ 1 ms instead of ≈ 200. The production default (12) is
    // proven by config.test.ts with an empty environment, and measured by lab:bcrypt.
    env: { BCRYPT_COST: '4' },
    // The tests mostly wait for the database: more workers than cores still pay off. On PGlite
    // too, though each worker's instance computes on that worker's thread: measured on Node 24,
    // three workers beat one file at a time (stage 03's README).
    maxWorkers: 3,
    // Each worker is reused for many files: importing the app afresh for each of ~30 files costs
    // more than the tests themselves. Each file still closes its own pool (setup.ts).
    isolate: false,
    // The embedded PGlite fallback needs a few seconds to start; files share the CPU with other
    // workers (and, in `pnpm test`, another suite): a slow first query is no failure.
    hookTimeout: 60_000,
    testTimeout: 20_000,
  },
});
