import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { getFreePort } from '@backend-path/shared/testing/ports';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import { afterAll, describe, expect, it } from 'vitest';
import { isPglite, testDatabaseUrl, useTestPool } from '../support/db-helpers.ts';
import { spawnedServerRedisEnv } from '../support/redis-helpers.ts';
import { deploymentPod, podEnv, probePaths } from './k8s-pod.ts';

// The Deployment's pod, run here: the real src/server.ts with the container's environment
// (NODE_ENV=production, as the image sets it; the Secret filled as the README's command fills
// it; the cluster's `redis` service swapped for this machine's Redis), asked what the kubelet and
// a client would ask. Only the port differs: a free one, since tests run side by side.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const POD = deploymentPod();
const CONTAINER =
  POD.containers[0] ??
  (() => {
    throw new Error('deployment.yaml has no container');
  })();
const pool = useTestPool({ max: 2 });

/** What the operator's `kubectl create secret generic backend-path-api …` holds. */
function operatorSecret(databaseUrl = testDatabaseUrl()) {
  return { JWT_SECRET: randomBytes(32).toString('base64url'), DATABASE_URL: databaseUrl };
}

/** This machine's Redis for the cluster's `redis` service (production refuses `localhost`). */
function clusterRedis(): Record<string, string> {
  const { REDIS_URL = '', ...rest } = spawnedServerRedisEnv();
  return { ...rest, REDIS_URL: REDIS_URL.replace('//localhost:', '//127.0.0.1:') };
}

const servers: RunningServer[] = [];
/** Started once for the first two tests: the pod as deployed, its login limit per address lowered. */
let pod: RunningServer | undefined;
async function startPod(secret: Record<string, string>, extra: Record<string, string> = {}) {
  const { REDIS_URL, ...redis } = clusterRedis();
  const env = {
    ...podEnv(CONTAINER, secret, { REDIS_URL: REDIS_URL ?? '' }),
    ...redis,
    NODE_ENV: 'production',
    // vitest.config.ts sets 4 for every test; production refuses less than 10: unset, the
    // image's default (12) applies.
    BCRYPT_COST: '',
    // production's internal port (9464) is one per machine: each pod started here gets its own
    INTERNAL_PORT: String(await getFreePort()),
    ...extra,
  };
  const server = await startStageServer({ cwd: STAGE_DIR, env, timeoutMs: 20_000 });
  servers.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});
async function deployedPod(): Promise<RunningServer> {
  // The limit per address lowered to 3 (50 in the pod) so that a test reaches it.
  pod ??= await startPod(operatorSecret(), { LOGIN_LIMIT_PER_IP: '3' });
  return pod;
}

const login = (url: string, email: string, forwardedFor: string) =>
  fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ email, password: 'not the password' }),
  });

describe('the Deployment’s pod, run here (src/server.ts with its environment)', () => {
  it('When started with the pod’s environment in production, then the startup, liveness and readiness probes answer 200 at their paths', async () => {
    const server = await deployedPod();

    const answers = await Promise.all(
      Object.entries(probePaths(CONTAINER)).map(async ([probe, path]) => {
        const res = await fetch(`${server.url}${path}`);
        return [
          probe,
          res.status,
          ((await res.json()) as { data: { status: string } }).data.status,
        ];
      }),
    );

    expect(answers).toEqual([
      ['startupProbe', 200, 'ok'],
      ['livenessProbe', 200, 'ok'],
      ['readinessProbe', 200, 'ok'],
    ]);
    expect(server.output()).not.toContain('Invalid configuration');
  });

  it('When clients send X-Forwarded-For addresses of their choosing, then with the pod’s TRUST_PROXY_HOPS the login limit still counts them as the one address they come from', async () => {
    // Different e-mails each time, so the limit per e-mail is not what answers 429.
    const server = await deployedPod();

    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const res = await login(server.url, `nobody${i}@initech.test`, `203.0.113.${i}`);
      statuses.push(res.status);
    }

    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('When every connection of the pod’s pool is busy, then readiness still answers 200 at once: PostgreSQL is asked over a connection of its own', {
    timeout: 45_000,
  }, async (context) => {
    // PGlite runs one transaction at a time for every connection: the lock below would hold
    // the readiness connection too. The point needs a real PostgreSQL.
    if (await isPglite()) context.skip();
    // One pooled connection, held by a login that waits for a lock this test takes; it may
    // wait longer than readiness' timeout (1 s), as a slow query under load would.
    const server = await startPod(operatorSecret(), {
      DATABASE_POOL_MAX: '1',
      DATABASE_LOCK_TIMEOUT_MS: '10000',
    });
    const locker = await pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const stuck = login(server.url, 'someone@initech.test', '203.0.113.9');
      stuck.catch(() => {}); // awaited below; if the test fails first, its failure is the news
      // A pod that just booted, on a machine running two suites at once, may take seconds to
      // reach the query: wait for the fact, and show what the pod said if it never comes.
      await waitFor(async () => {
        const { rows } = await pool.query<{ waiting: number }>(
          "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM users%'",
        );
        return (rows[0]?.waiting ?? 0) > 0;
      }, 15_000).catch((error: Error) => {
        throw new Error(
          `the login never waited for the lock (${error.message}); the pod said:\n${server.output()}`,
        );
      });

      const started = performance.now();
      const ready = await fetch(`${server.url}${CONTAINER.readinessProbe.httpGet.path}`);
      const tookMs = performance.now() - started;
      const body = (await ready.json()) as { data: { dependencies: Record<string, unknown> } };

      expect(ready.status).toBe(200);
      expect(body.data.dependencies.postgres).toMatchObject({ status: 'up', required: true });
      expect(tookMs).toBeLessThan(1000);
      await locker.query('ROLLBACK');
      expect((await stuck).status).toBe(401);
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      locker.release();
    }
  });

  it('When PostgreSQL cannot be reached, then readiness says 503 naming it (its own connection notices) and liveness stays 200', async () => {
    const closed = await getFreePort();
    const server = await startPod(
      operatorSecret(`postgres://api@127.0.0.1:${closed}/backend_path`),
    );

    const ready = await fetch(`${server.url}${CONTAINER.readinessProbe.httpGet.path}`);
    const live = await fetch(`${server.url}${CONTAINER.livenessProbe.httpGet.path}`);

    expect(ready.status).toBe(503);
    expect(
      ((await ready.json()) as { error: { fields: Record<string, string> } }).error.fields,
    ).toEqual({
      postgres: 'ECONNREFUSED',
    });
    expect(live.status).toBe(200);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
