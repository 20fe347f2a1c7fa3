import { defineConfig } from 'vitest/config';

// LESSON: three suites, chosen by what they may touch, each runnable alone
// (`pnpm test:unit`, `test:integration`, `test:contract`); `pnpm test` runs all three.
//  - unit: services, auth rules, tokens, cursors on honest fakes (test/fakes/) and a fake clock.
//    No database, no network: test/support/no-network.ts fails any test that opens a socket.
//  - contract: one behaviour suite run against the pg repositories AND the fakes, so a unit test
//    on a fake means what it would mean on PostgreSQL.
//  - integration: routes through supertest on real PostgreSQL, a database per worker.

/** Files written before this stage that were unit tests already: no database, no HTTP. */
const EARLIER_UNIT_TESTS = [
  'test/tickets/tickets.service.test.ts',
  'test/reports/bounded-pool.test.ts',
  'test/config/config.test.ts',
  'test/config/config.redis.test.ts',
];
/** Stage 09's checks of the configuration and of the files that ship it, read as files. */
const SHIPPING_UNIT_TESTS = [
  'test/config/config.validation.test.ts',
  'test/config/config.env-example.test.ts',
  'test/docker/docker.dockerfile.test.ts',
  'test/docker/docker.compose.test.ts',
  'test/docker/docker.workflow.test.ts',
];
/** A unit test is named *.unit.test.ts and sits with its feature's other tests (test/auth/,
 * test/cache/, …): the suite is chosen by the file's name, its folder by what it is about. */
const UNIT = ['test/**/*.unit.test.ts', ...EARLIER_UNIT_TESTS, ...SHIPPING_UNIT_TESTS];
/** Contract runners: one per implementation (pg, the fakes), each running every contract suite. */
const CONTRACT = ['test/contract/**/*.test.ts'];

/** The tests mostly wait for the database: more workers than cores still pay off. On PGlite
 * too, though each worker's instance computes on that worker's thread: measured on Node 24,
 * three workers beat one file at a time (stage 03's README). */
const WORKERS = 3;

/** bcrypt's minimum cost for whatever reads the config in tests (db:seed's default, a spawned
 * lab or server): a hash takes ≈ 1 ms instead of ≈ 200. The production default (12) is
 * proven by config.test.ts with an empty environment, and measured by lab:bcrypt. */
const env = { BCRYPT_COST: '4' };

/** What the suites on PostgreSQL and Redis share. */
const onPostgres = {
  // A template database, created and migrated once per run (test/support/global-setup.ts); each
  // worker copies it into its own database (test/support/db-helpers.ts), so files run in parallel.
  // The run's Redis and key prefix come from shared/src/testing/redis-global-setup.ts.
  globalSetup: [
    './test/support/global-setup.ts',
    '@backend-path/shared/testing/redis-global-setup',
  ],
  // Empties every table of the worker's database and gives each test fresh Redis keys before each
  // test, and checks every JSON answer against the OpenAPI document after it
  // (test/support/setup.ts).
  setupFiles: ['./test/support/setup.ts'],
  env,
  maxWorkers: WORKERS,
  // Each worker is reused for many files: importing the app afresh for each of ~30 files costs
  // more than the tests themselves. Each file still closes its own pool (setup.ts).
  isolate: false,
  // The embedded PGlite fallback needs a few seconds to start; files share the CPU with other
  // workers (and, in `pnpm test`, another suite): a slow first query is no failure.
  hookTimeout: 60_000,
  testTimeout: 20_000,
};

/** The unit suite; vitest.mutation.config.ts runs it alone, for Stryker. */
export const unitSuite = {
  name: 'unit',
  include: UNIT,
  // Not test/support/setup.ts: no database, no Redis, and no HTTP answer to check against the
  // contract.
  setupFiles: ['./test/support/no-network.ts'],
  env,
  // Nothing here waits for I/O: a unit test that needs more than a second is a bug.
  testTimeout: 2_000,
  isolate: false,
  // As many as the other suites: with `--sequence.shuffle` on the command line all three
  // share one group, which vitest allows only for projects with equal maxWorkers.
  maxWorkers: WORKERS,
  // `pnpm test` runs the suites in this order, one group after another: the fastest feedback
  // first. (vitest also requires projects with different maxWorkers to be in different groups.)
  sequence: { groupOrder: 0 },
};

export default defineConfig({
  test: {
    projects: [
      { test: unitSuite },
      { test: { name: 'contract', include: CONTRACT, ...onPostgres, sequence: { groupOrder: 1 } } },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT, ...CONTRACT],
          ...onPostgres,
          sequence: { groupOrder: 2 },
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Scripts run by hand (`pnpm db:*`), the listening entry point and the worker's .mjs
      // shim: the suite starts them as processes, which v8 coverage of the test process misses.
      exclude: ['src/db/migrate.ts', 'src/db/seed.ts', 'src/server.ts', 'src/**/*.mjs'],
      reporter: ['text-summary', 'json-summary'],
      // Below these the run fails. Set a few points under what the suite measured (README):
      // a ratchet against untested code, not a goal.
      thresholds: { statements: 94, branches: 89, functions: 95, lines: 96 },
    },
  },
});
