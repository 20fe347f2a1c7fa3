// LESSON: coverage says a line RAN under the tests; mutation testing asks whether the tests
// would NOTICE if it were wrong. Stryker changes one thing at a time in the code below (a `<`
// into `<=`, a condition into `true`, a string into "") and runs the unit suite against each
// "mutant": a test must fail (the mutant is killed) or the change went unseen (it survived).
// The README's table is the last run's summary and what each survivor means.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps each package's dependencies to itself: name the runner so core can load it.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // The rules this stage's unit suite owns: services, who-may-do-what, tokens, cursors, and the
  // cache's keys and cache-aside logic (on the fake Redis). The rate limiter is express-rate-limit's
  // logic configured: its tests go through HTTP (rate-limit.test.ts), too slow to run per mutant.
  mutate: [
    'src/tickets/tickets.service.ts',
    'src/tickets/tickets.access.ts',
    'src/tickets/tickets.cursor.ts',
    'src/comments/comments.service.ts',
    'src/users/users.service.ts',
    'src/auth/auth.service.ts',
    'src/auth/tokens.ts',
    'src/middleware/authorize.ts',
    'src/middleware/authenticate.ts',
    'src/cache/cache-keys.ts',
    'src/cache/query-cache.ts',
  ],
  coverageAnalysis: 'perTest',
  // A mutation score under `break` fails `pnpm test:mutation` (exit 1).
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Two cores here; a third process would only queue.
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
