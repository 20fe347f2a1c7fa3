import { defineConfig } from 'vitest/config';

// The HTTP tests (they build the app with test/support/helpers.ts) whose answers come from the
// repositories: they run once per DATA_LAYER, and the same requests must get the same answers from
// all three. The other HTTP files run on pg only: body parsing, CORS, request ids, routing and
// the id check (tickets.ids) happen before a repository is asked, and tickets.include-comments
// counts raw pg's ONE statement (the ORMs send 3: lab:compare; the contract suite checks that
// their count does not grow with the page).
const REPOSITORY_HTTP_TESTS = [
  'test/http/http.{caller,caching,errors}.test.ts',
  'test/comments/comments.routes.test.ts',
  'test/tickets/tickets.{create,delete,open-limit,pagination,read,resolve,search,update}.test.ts',
];
// requests.http against the real server, started with the project's DATA_LAYER: in each project,
// so the three servers run side by side (one after another, they made one file of a minute).
const REQUESTS_HTTP = 'test/stage/requests-http.test.ts';
// Settings every project shares, spelled out in each. (A project also inherits the root's options,
// all but its globalSetup: that runs once per run, and so creates the database once.)
const shared = {
  // Empties every table of the worker's database before each test (test/support/setup.ts).
  setupFiles: ['./test/support/setup.ts'],
  // Each worker is reused for many files: importing the app (and an ORM) afresh for each file
  // costs more than the tests themselves. Each file still closes its own pool and data layer
  // (setup.ts).
  isolate: false,
  // The embedded PGlite fallback needs a few seconds to start; files share the CPU with other
  // workers (and, in `pnpm test`, another suite): a slow first query is no failure.
  hookTimeout: 60_000,
  testTimeout: 20_000,
};

export default defineConfig({
  test: {
    // A template database, created and migrated once per run (test/support/global-setup.ts); each
    // worker, whatever its project, copies it into its own database (test/support/db-helpers.ts),
    // so files run in parallel.
    globalSetup: ['./test/support/global-setup.ts'],
    // The tests mostly wait for the database: more workers than cores still pay off. On PGlite
    // too, though each worker's instance computes on that worker's thread: measured on Node 24,
    // three workers beat one file at a time (stage 03's README).
    maxWorkers: 3,
    projects: [
      {
        // Everything once, HTTP tests on the raw pg repositories (the default DATA_LAYER).
        test: {
          ...shared,
          name: 'pg',
          include: ['test/**/*.test.ts'],
          provide: { dataLayer: 'pg' },
        },
      },
      ...(['prisma', 'typeorm'] as const).map((dataLayer) => ({
        test: {
          ...shared,
          name: dataLayer,
          include: [...REPOSITORY_HTTP_TESTS, REQUESTS_HTTP],
          provide: { dataLayer },
        },
      })),
    ],
  },
});
