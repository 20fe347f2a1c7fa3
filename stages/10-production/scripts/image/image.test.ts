import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectClient, withDatabase } from '@backend-path/shared/testing/postgres-admin';
import { getFreePort } from '@backend-path/shared/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient, redisReady } from '../../src/db/redis.ts';
import { deploymentPod, podEnv, probePaths } from '../../test/deploy/k8s-pod.ts';
import { ensureNodeBaseImage } from './base-image.ts';
import { hasPodman, podman, podmanStatus } from './podman.ts';

// The real image, built and run with podman against this machine's Postgres and Redis, as
// deploy/k8s/deployment.yaml runs it: its environment (the Secret filled as the README's command
// fills it), its user and its securityContext. What test/deploy/deploy.*.test.ts read or run from
// the sources, this proves with the image a cluster would pull.
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  .name as string;
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const IMAGE = `localhost/backend-path-stage-10:test-${RUN_ID}`;
const CONTAINER = `backend-path-stage-10-${RUN_ID}`;
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = `backend_path_image_${RUN_ID.replace(/\W/g, '_')}`;
const DATABASE_URL = withDatabase(ADMIN_URL, DATABASE);
// The cluster's `redis` service is this machine's Redis (production refuses `localhost`).
const REDIS_URL = (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(
  '//localhost:',
  '//127.0.0.1:',
);
/** The container's keys (cache, rate limits) in the shared Redis: its own, deleted at the end. */
const REDIS_KEY_PREFIX = `bp-image-${RUN_ID}:`;
/** What `kubectl create secret generic backend-path-api …` holds (README, "Run it"). */
const SECRET = { JWT_SECRET: randomBytes(32).toString('base64url'), DATABASE_URL };
const POD = deploymentPod();
const API = POD.containers[0] ?? fail('deploy/k8s/deployment.yaml has no container');
const STOP_GRACE_SECONDS = 10;
let port = 0;
let base = '';
/** Where /metrics and /docs answer in production (INTERNAL_PORT): no balancer routes to it. */
let internalPort = 0;

/**
 * podman's flags for the pod's securityContext. readOnlyRootFilesystem: --read-only, and
 * without the writable /tmp and /run podman adds by default (Kubernetes adds none).
 */
function podSecurityFlags(): string[] {
  const { runAsUser, runAsGroup } = POD.securityContext;
  const context = API.securityContext;
  return [
    ...(runAsUser === undefined ? [] : ['--user', `${runAsUser}:${runAsGroup ?? runAsUser}`]),
    ...(context.readOnlyRootFilesystem ? ['--read-only', '--read-only-tmpfs=false'] : []),
    ...(context.allowPrivilegeEscalation === false ? ['--security-opt', 'no-new-privileges'] : []),
    ...(context.capabilities?.drop ?? []).flatMap((capability) => ['--cap-drop', capability]),
  ];
}

function buildImage(): void {
  const args = ['build', '--network', 'host', '--format', 'docker'];
  // --layers=false: no intermediate images left behind (the test cleans up after itself).
  args.push('--layers=false', '--file', 'stages/10-production/Dockerfile');
  args.push('--ignorefile', 'stages/10-production/Dockerfile.dockerignore');
  args.push('--build-arg', `NODE_IMAGE=${ensureNodeBaseImage()}`);
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  args.push('--build-arg', `NPM_CONFIG_REGISTRY=${registry}`);
  // Behind a TLS-inspecting proxy: its CA as a build secret, never a layer.
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (ca) args.push('--secret', `id=extra_ca,src=${ca}`);
  podman([...args, '--tag', IMAGE, '.'], { inherit: true, cwd: REPO_ROOT });
}

const envFlags = (env: Record<string, string>) =>
  Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);

/** Runs a one-off command in a fresh container of the image, as the pod would run it. */
function runOnce(command: string[], env: Record<string, string> = {}) {
  return podmanStatus([
    'run',
    '--rm',
    '--network',
    'host',
    ...podSecurityFlags(),
    ...envFlags(env),
    IMAGE,
    ...command,
  ]);
}

/** The host's side of the shared Redis, to look at (and clean up) the container's keys. */
async function withRedis<T>(use: (redis: RedisClient) => Promise<T>): Promise<T> {
  const redis = createRedisClient({
    url: REDIS_URL,
    connectTimeoutMs: 1_000,
    commandTimeoutMs: 2_000,
    onError: () => {},
  });
  try {
    await redisReady(redis);
    return await use(redis);
  } finally {
    await redis.close();
  }
}

function redisKeys(pattern: string): Promise<string[]> {
  return withRedis(
    async (redis) =>
      (await redis.sendCommand(['KEYS', `${REDIS_KEY_PREFIX}${pattern}`])) as string[],
  );
}

async function waitForLiveness(timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`${base}${API.startupProbe.httpGet.path}`);
    } catch (error: unknown) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * GET /metrics as the operator's Prometheus scrapes it: on the pod's internal port (the
 * Deployment's `metrics` port, INTERNAL_PORT), which neither the Service nor nginx routes to.
 */
function scrapeMetrics(): Promise<Response> {
  return fetch(`http://127.0.0.1:${internalPort}/metrics`);
}

function fail(message: string): never {
  throw new Error(message);
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

beforeAll(async () => {
  if (!hasPodman()) throw new Error('podman is not installed: see README "Test the image".');
  const started = performance.now();
  buildImage();
  const size = Number(podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE]));
  console.log(
    `Image ${IMAGE}: ${(size / 1e6).toFixed(0)} MB, built in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  const admin = await connectClient(ADMIN_URL);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  port = await getFreePort();
  base = `http://127.0.0.1:${port}`;
  internalPort = await getFreePort();
}, 900_000);

afterAll(async () => {
  podmanStatus(['rm', '--force', '--time', '0', CONTAINER]);
  podmanStatus(['rmi', '--force', IMAGE]);
  const admin = await connectClient(ADMIN_URL);
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  const keys = await redisKeys('*');
  if (keys.length > 0) await withRedis((redis) => redis.sendCommand(['DEL', ...keys]));
});

describe('the stage 10 image, run as deploy/k8s runs it', () => {
  it('When its package and user are read, then they are stage 10’s and the pod’s: the image is this stage, run as the uid the pod asks for', () => {
    const manifest = JSON.parse(
      podman([
        'run',
        '--rm',
        '--network',
        'none',
        '--entrypoint',
        'cat',
        IMAGE,
        '/app/package.json',
      ]),
    );
    const user = podman(['image', 'inspect', '--format', '{{.Config.User}}', IMAGE]);

    expect(manifest.name).toBe(PACKAGE);
    expect(PACKAGE).toBe('@backend-path/stage-10-production');
    expect(user).toBe(`${POD.securityContext.runAsUser}:${POD.securityContext.runAsGroup}`);
    expect(POD.securityContext.runAsNonRoot).toBe(true);
  });

  it('When started with no configuration, then it exits 1 listing what production requires', () => {
    const { status, output } = runOnce([]);

    expect(status).toBe(1);
    expect(output).toContain('DATABASE_URL must be set in production');
    expect(output).toContain('JWT_SECRET must be set');
    expect(output).not.toContain('listening');
  });

  it('When the pod’s Secret holds the placeholder this repository once shipped, then it refuses to start, naming JWT_SECRET and not its value', () => {
    const placeholder = 'replace-me-with-32-or-more-random-characters';
    const env = podEnv(API, { ...SECRET, JWT_SECRET: placeholder }, { REDIS_URL });

    const { status, output } = runOnce([], { ...env, PORT: String(port) });

    expect(status).toBe(1);
    expect(output).toContain('JWT_SECRET looks like a placeholder');
    expect(output).not.toContain(placeholder);
  });

  it('When the migration Job’s command runs as a one-off container (its user, read-only filesystem), then it applies every migration and exits 0', () => {
    const { status, output } = runOnce(['node', 'dist/db/migrate.js'], { DATABASE_URL });

    expect(output).toContain('Migrated up: 0001_accounts');
    expect(output).toContain('0010_idempotency_keys');
    expect(status).toBe(0);
  });

  it('When started with the pod’s environment, user and securityContext, then the startup, liveness and readiness probes answer 200, PostgreSQL and Redis up', async () => {
    // The pod's variables, NODE_ENV=production as the image sets it, and a free port instead of
    // 3000 (the host network is shared with other tests); the key prefix keeps this run's keys apart.
    const env = {
      ...podEnv(API, SECRET, { REDIS_URL }),
      NODE_ENV: 'production',
      PORT: String(port),
      INTERNAL_PORT: String(internalPort),
      REDIS_KEY_PREFIX,
      // Off in the Deployment (a report is seconds of CPU); on here, because the compiled worker
      // thread must start from the image's files (a test below asks for one).
      REPORTS_ENABLED: 'true',
    };
    podman([
      'run',
      '--detach',
      '--name',
      CONTAINER,
      '--network',
      'host',
      ...podSecurityFlags(),
      ...envFlags(env),
      IMAGE,
    ]);
    expect((await waitForLiveness(30_000)).status).toBe(200);

    const answers = await Promise.all(
      Object.entries(probePaths(API)).map(async ([probe, path]) => {
        const res = await fetch(`${base}${path}`);
        return [probe, res.status] as const;
      }),
    );
    const ready = await json<{
      data: { status: string; dependencies: Record<string, { status: string }> };
    }>(await fetch(`${base}${API.readinessProbe.httpGet.path}`));

    expect(answers).toEqual([
      ['startupProbe', 200],
      ['livenessProbe', 200],
      ['readinessProbe', 200],
    ]);
    expect(ready.data.status).toBe('ok');
    expect(ready.data.dependencies.postgres?.status).toBe('up');
    expect(ready.data.dependencies.redis?.status).toBe('up');
    expect(podmanStatus(['healthcheck', 'run', CONTAINER]).status).toBe(0);
  });

  let accessToken = '';

  it('When a user signs up and logs in, then the compiled app stores the admin and the limiter counts in Redis', async () => {
    const signUp = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: 'founder@initech.test',
        password: 'a long and honest passphrase',
        name: 'Peter Founder',
        accountName: 'Initech',
      }),
    });
    // Logins are refused while Redis is unreachable (the limiter cannot count): a 200 with the
    // limiter's policy proves the container reached Redis.
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: 'founder@initech.test',
        password: 'a long and honest passphrase',
      }),
    });

    expect(signUp.status).toBe(201);
    expect(login.status).toBe(200);
    expect(login.headers.get('ratelimit-policy')).toContain('"login-email"');
    accessToken = (await json<{ data: { accessToken: string } }>(login)).data.accessToken;
    const admin = await connectClient(DATABASE_URL);
    const { rows } = await admin.query('SELECT role FROM users WHERE email = $1', [
      'founder@initech.test',
    ]);
    await admin.end();
    expect(rows).toEqual([{ role: 'admin' }]);
  });

  it('When a create is sent twice with one Idempotency-Key, then the second answer is the first, replayed, and one ticket exists', async () => {
    const key = `"${randomUUID()}"`;
    const create = () =>
      fetch(`${base}/api/v1/tickets`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${accessToken}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
        },
        body: JSON.stringify({ subject: 'Sent twice from the image' }),
      });

    const first = await create();
    const second = await create();

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await second.text()).toBe(await first.text());
    const admin = await connectClient(DATABASE_URL);
    const { rows } = await admin.query(
      'SELECT count(*)::int AS n FROM tickets WHERE subject = $1',
      ['Sent twice from the image'],
    );
    await admin.end();
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('When the stats are asked twice and a report runs, then the second stats answer is a cache HIT and the report ran on a worker thread', async () => {
    const auth = { Authorization: `Bearer ${accessToken}` };
    const stats = () => fetch(`${base}/api/v1/stats`, { headers: auth });

    const first = await stats();
    const second = await stats();
    const report = await fetch(`${base}/api/v1/reports/ticket-stats?mode=worker`, {
      headers: auth,
    });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    expect((await redisKeys('cache:*')).length).toBeGreaterThan(0);
    expect(report.status).toBe(200);
    expect((await json<{ data: { threadId: number } }>(report)).data.threadId).not.toBe(0);
  });

  it('When Prometheus scrapes /metrics on the internal port, then it reads the requests above by route pattern and the pool gauges; the public port says 404', async () => {
    const res = await scrapeMetrics();
    const text = await res.text();
    const publicMetrics = await fetch(`${base}/metrics`);

    expect(publicMetrics.status).toBe(404);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('http_requests_total{method="POST",route="/tickets",status="201"} 2');
    expect(text).toMatch(/^db_pool_connections_total \d+$/m);
  });

  it('When PID 1 is inspected, then it is node itself (exec-form CMD), run by the pod’s uid, not root', () => {
    const status = podman(['exec', CONTAINER, 'cat', '/proc/1/status']);
    const cmdline = podman(['exec', CONTAINER, 'cat', '/proc/1/cmdline']).split('\0');
    const uid = POD.securityContext.runAsUser;

    expect(status).toMatch(new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s+${uid}\\s+${uid}$`, 'm'));
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(cmdline.slice(0, 2)).toEqual(['node', 'dist/server.js']);
  });

  it('When the app’s user tries to write anywhere, then the root filesystem refuses it (/tmp included)', () => {
    for (const dir of ['/app', '/tmp', '/home/node']) {
      const { status, output } = podmanStatus(['exec', CONTAINER, 'touch', `${dir}/planted`]);
      expect(status, dir).not.toBe(0);
      expect(output, dir).toMatch(/Read-only file system/);
    }
  });

  it('When its files are listed, then no devDependencies, no .env, no tests and no TypeScript sources', () => {
    const files = podman(['exec', CONTAINER, 'find', '/app', '-not', '-path', '*/node_modules/*']);
    const topLevel = podman(['exec', CONTAINER, 'ls', '/app/node_modules']).split('\n');
    const store = podman(['exec', CONTAINER, 'ls', '/app/node_modules/.pnpm']);
    const dependencies = Object.keys(
      JSON.parse(podman(['exec', CONTAINER, 'cat', '/app/package.json'])).dependencies,
    );

    expect(
      files
        .split('\n')
        .filter((file) => /^\/app\/[^/]+$/.test(file))
        .sort(),
    ).toEqual(['/app/dist', '/app/migrations', '/app/node_modules', '/app/package.json']);
    expect(files).not.toMatch(/\.env\b|\/test\/|\.test\.|(?<!\.d)\.ts$/m);
    expect(topLevel.sort()).toEqual(dependencies.sort());
    for (const devOnly of ['vitest', 'tsx', 'typescript', 'supertest', 'esbuild', 'httpyac']) {
      expect(store).not.toMatch(new RegExp(`^${devOnly}@`, 'm'));
    }
  });

  it('When podman stop sends SIGTERM, then the server shuts down by itself with exit code 0 (not 137: killed at the end of the grace period)', () => {
    const started = performance.now();
    podman(['stop', '--time', String(STOP_GRACE_SECONDS), CONTAINER]);
    const seconds = (performance.now() - started) / 1000;
    const exitCode = podman(['inspect', '--format', '{{.State.ExitCode}}', CONTAINER]);
    console.log(`podman stop took ${seconds.toFixed(2)} s (grace period ${STOP_GRACE_SECONDS} s)`);

    expect(exitCode).toBe('0');
    expect(podman(['logs', CONTAINER])).toContain('shutdown.started');
  });
});
