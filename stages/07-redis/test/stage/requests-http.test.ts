import { fileURLToPath } from 'node:url';
import { runHttpFile } from '@backend-path/shared/testing/http-file';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/db-helpers.ts';
import { TEST_JWT_SECRET } from '../support/helpers.ts';
import { spawnedServerRedisEnv } from '../support/redis-helpers.ts';

// requests.http is documentation a learner runs: it must run, unmodified, in a real client
// (httpyac), against the real server on whatever port it got. The database holds only the fixture
// users, with their development password (test/support/setup.ts): whatever a request needs, the
// file creates first. The server needs a signing secret; bcrypt's minimum cost keeps sign-ups
// quick.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
let server: RunningServer;

beforeAll(async () => {
  server = await startStageServer({
    cwd: STAGE_DIR,
    env: {
      DATABASE_URL: testDatabaseUrl(),
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_COST: '4',
      ...spawnedServerRedisEnv(),
    },
  });
}, 30_000);

afterAll(() => server?.stop());

describe('requests.http', () => {
  it('When httpyac runs it top to bottom, then every request is sent, checks its status, and every check passes', async () => {
    const run = await runHttpFile({
      cwd: STAGE_DIR,
      file: 'requests.http',
      vars: { host: server.url },
    });

    expect(run.failures, run.stderr).toEqual([]);
    expect(run.summary).toMatchObject({ skippedRequests: 0, erroredRequests: 0 });
    expect([...new Set(run.sent.map((request) => request.line))]).toEqual(run.regions);
    const withoutStatusCheck = run.regions.filter(
      (line) =>
        !run.sent.some((r) => r.line === line && r.checks.some((c) => /^status == \d{3}$/.test(c))),
    );
    expect(withoutStatusCheck).toEqual([]);
    expect(run.exitCode).toBe(0);
  }, 90_000);
});
