import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getFreePort } from '@backend-path/shared/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/db-helpers.ts';
import { authAs, CALLER, TEST_JWT_SECRET } from '../support/helpers.ts';
import { spawnedServerRedisEnv } from '../support/redis-helpers.ts';

// `pnpm build`, once for this file, then the compiled server as production starts it: plain
// `node dist/server.js`, no tsx loaded, no TypeScript anywhere on the way.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
let server: ChildProcess | undefined;
let output = '';
let base = '';
/** Only what the test names: no NODE_OPTIONS (vitest's) and no tsx. */
const env = () => ({
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'test',
  DATABASE_URL: testDatabaseUrl(),
  JWT_SECRET: TEST_JWT_SECRET,
  ...spawnedServerRedisEnv(),
});

async function waitForHealth(timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`${base}/api/v1/health`);
    } catch (error: unknown) {
      if (Date.now() > deadline || server?.exitCode !== null)
        throw new Error(output, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: STAGE_DIR, stdio: 'pipe' });
  const port = await getFreePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['dist/server.js'], {
    cwd: STAGE_DIR,
    env: { ...env(), PORT: String(port) },
  });
  server.stdout?.on('data', (chunk) => (output += chunk));
  server.stderr?.on('data', (chunk) => (output += chunk));
}, 120_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

describe('pnpm build', () => {
  it('When built, then dist/ holds JavaScript only: no TypeScript source, no tsx shim', () => {
    const files = readdirSync(new URL('../../dist', import.meta.url), { recursive: true }).map(
      String,
    );

    expect(files).toEqual(
      expect.arrayContaining(['server.js', 'db/migrate.js', 'reports/ticket-stats.worker.js']),
    );
    expect(files.filter((file) => /\.(ts|mts|mjs)$/.test(file))).toEqual([]);
  });

  it('When node dist/server.js runs, then /api/v1/health answers 200', async () => {
    const res = await waitForHealth(30_000);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { status: 'ok' } });
    expect(output).toContain('Stage 10 (production) listening');
  });

  it('When a report runs in worker mode, then the compiled worker starts without the tsx shim', async () => {
    await waitForHealth(30_000);

    const res = await fetch(`${base}/api/v1/reports/ticket-stats?mode=worker`, {
      headers: authAs(CALLER), // an admin's report
    });

    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { threadId: number } }).data.threadId).not.toBe(0);
  });

  it('When node dist/db/migrate.js runs on a migrated database, then it finds nothing to apply', async () => {
    // Not execFileSync: on the embedded PGlite, the database is served by this very process, and
    // a synchronous wait blocks it: the child waited for an answer that never came (the whole
    // suite hung, with no timeout able to fire).
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/db/migrate.js'], {
      cwd: STAGE_DIR,
      env: env(),
      encoding: 'utf8',
    });

    expect(stdout).toContain('Database is up to date.');
  });
});
