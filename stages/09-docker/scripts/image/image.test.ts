import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectClient, withDatabase } from '@backend-path/shared/testing/postgres-admin';
import { getFreePort } from '@backend-path/shared/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, type RedisClient, redisReady } from '../../src/db/redis.ts';
import { ensureNodeBaseImage } from './base-image.ts';
import { hasPodman, podman, podmanStatus } from './podman.ts';

// The real image, built and run with podman against this machine's Postgres and Redis: what
// the static tests (test/docker/docker.*.test.ts) can only read, this proves by running it.
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  .name as string;
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const IMAGE = `localhost/backend-path-stage-09:test-${RUN_ID}`;
const CONTAINER = `backend-path-stage-09-${RUN_ID}`;
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = `backend_path_image_${RUN_ID.replace(/\W/g, '_')}`;
const DATABASE_URL = withDatabase(ADMIN_URL, DATABASE);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The container's keys (cache, rate limits) in the shared Redis: its own, deleted at the end. */
const REDIS_KEY_PREFIX = `bp-image-${RUN_ID}:`;
const JWT_SECRET = randomBytes(32).toString('base64url');
const STOP_GRACE_SECONDS = 10;
let port = 0;
let base = '';

function buildImage(): void {
  const args = ['build', '--network', 'host', '--format', 'docker'];
  // --layers=false: no intermediate images left behind (the test cleans up after itself).
  args.push('--layers=false', '--file', 'stages/09-docker/Dockerfile');
  args.push('--ignorefile', 'stages/09-docker/Dockerfile.dockerignore');
  args.push('--build-arg', `NODE_IMAGE=${ensureNodeBaseImage()}`);
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  args.push('--build-arg', `NPM_CONFIG_REGISTRY=${registry}`);
  // Behind a TLS-inspecting proxy: its CA as a build secret, never a layer.
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (ca) args.push('--secret', `id=extra_ca,src=${ca}`);
  podman([...args, '--tag', IMAGE, '.'], { inherit: true, cwd: REPO_ROOT });
}

/** Runs a one-off command in a fresh container of the image (as the image's user). */
function runOnce(command: string[], env: Record<string, string> = {}) {
  const envArgs = Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
  return podmanStatus(['run', '--rm', '--network', 'host', ...envArgs, IMAGE, ...command]);
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

async function waitForHealth(timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`${base}/api/v1/health`);
    } catch (error: unknown) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
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

describe('the stage 09 image', () => {
  it('When its package.json is read, then the image holds stage 09’s package', () => {
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

    expect(manifest.name).toBe(PACKAGE);
    expect(PACKAGE).toBe('@backend-path/stage-09-docker');
  });

  it('When started in production with a mistake in every kind of variable, then it exits 1 listing all 7 at once, each by name, never a value (what stage 09 adds: configuration validated at boot)', () => {
    // names stage 08 on purpose: its code stopped at the first of these, quoting the value.
    const env = {
      NODE_ENV: 'production',
      PORT: '70000',
      DATABASE_POOL_MAX: '0',
      ACCESS_LOG: 'maybe',
      DATABASE_URL: 'postgres://postgres:postgres@localhost:5432/backend_path',
      CORS_ORIGINS: 'http://localhost:5173',
      REDIS_URL: 'redis://localhost:6379',
      JWT_SECRET: 'replace-me-with-32-or-more-random-characters',
    };

    const { status, output } = runOnce([], env);

    expect(status).toBe(1);
    expect(output).toContain('Invalid configuration (7 problems):');
    for (const name of Object.keys(env).filter((name) => name !== 'NODE_ENV')) {
      expect(output).toMatch(new RegExp(`^  - ${name} `, 'm'));
    }
    expect(output).toContain('JWT_SECRET looks like a placeholder');
    for (const value of ['70000', 'maybe', env.JWT_SECRET]) expect(output).not.toContain(value);
    expect(output).not.toMatch(/listening|\n\s+at /);
  });

  it('When started with no configuration, then it exits 1 listing what production requires', () => {
    const { status, output } = runOnce([]);

    expect(status).toBe(1);
    expect(output).toContain('DATABASE_URL must be set in production');
    expect(output).toContain('JWT_SECRET must be set');
    expect(output).not.toContain('listening');
  });

  it('When the migrate command runs as a one-off container, then it applies every migration and exits 0', () => {
    const { status, output } = runOnce(['node', 'dist/db/migrate.js'], { DATABASE_URL });

    expect(output).toContain('Migrated up: 0001_accounts');
    expect(status).toBe(0);
  });

  it('When started with a production environment on a read-only filesystem, then /api/v1/health answers 200 and the HEALTHCHECK passes', async () => {
    // As docker-compose.yml runs it: a read-only filesystem (with no writable /tmp: podman adds
    // one by default, compose's read_only does not), no capabilities, no setuid.
    const hardening = [
      '--read-only',
      '--read-only-tmpfs=false',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
    ];
    const env = {
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL,
      REDIS_URL,
      REDIS_KEY_PREFIX,
      JWT_SECRET,
      CORS_ORIGINS: 'https://app.example',
      // The report is off in production unless turned on; the next test asks for it.
      REPORTS_ENABLED: 'true',
    };
    const envArgs = Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
    podman([
      'run',
      '--detach',
      '--name',
      CONTAINER,
      '--network',
      'host',
      ...hardening,
      ...envArgs,
      IMAGE,
    ]);

    const res = await waitForHealth(30_000);

    expect(res.status).toBe(200);
    expect(podmanStatus(['healthcheck', 'run', CONTAINER]).status).toBe(0);
  });

  it('When a user signs up and a report runs on a worker thread, then the compiled app does both', async () => {
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
    // The first user of a new account is its admin, and the report is an admin's.
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: 'founder@initech.test',
        password: 'a long and honest passphrase',
      }),
    });
    const { accessToken } = ((await login.json()) as { data: { accessToken: string } }).data;
    const report = await fetch(`${base}/api/v1/reports/ticket-stats?mode=worker`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });

    expect(signUp.status).toBe(201);
    expect(report.status).toBe(200);
    expect(((await report.json()) as { data: { threadId: number } }).data.threadId).not.toBe(0);
    const admin = await connectClient(DATABASE_URL);
    const { rows } = await admin.query('SELECT role FROM users WHERE email = $1', [
      'founder@initech.test',
    ]);
    await admin.end();
    expect(rows).toEqual([{ role: 'admin' }]);
  });

  it('When the new admin logs in and asks for the stats twice, then the container uses Redis: the login limiter counts, the second answer is a cache HIT', async () => {
    // Logins are refused while Redis is unreachable (the limiter cannot count), and X-Cache says
    // BYPASS: a 200 and MISS then HIT prove the compiled app reached Redis from the container.
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: 'founder@initech.test',
        password: 'a long and honest passphrase',
      }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('ratelimit-policy')).toContain('"login-email"');
    const { accessToken } = ((await login.json()) as { data: { accessToken: string } }).data;
    const stats = () =>
      fetch(`${base}/api/v1/stats`, { headers: { Authorization: `Bearer ${accessToken}` } });

    const first = await stats();
    const second = await stats();

    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    expect((await redisKeys('cache:*')).length).toBeGreaterThan(0);
  });

  it('When PID 1 is inspected, then it is node itself (exec-form CMD), run by uid 1000, not root', () => {
    const status = podman(['exec', CONTAINER, 'cat', '/proc/1/status']);
    const cmdline = podman(['exec', CONTAINER, 'cat', '/proc/1/cmdline']).split('\0');

    expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    expect(cmdline.slice(0, 2)).toEqual(['node', 'dist/server.js']);
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
    expect(podman(['logs', CONTAINER])).toContain('SIGTERM: closing the server');
  });
});
