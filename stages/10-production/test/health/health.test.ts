import {
  Agent,
  createServer,
  get as httpGet,
  type IncomingHttpHeaders,
  type RequestListener,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTcpProxy } from '@backend-path/shared/testing/tcp-proxy';
import supertest from 'supertest';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { postgresCheck, redisCheck } from '../../src/db/health.ts';
import { closePool, createPool } from '../../src/db/pool.ts';
import { createLifecycle } from '../../src/lifecycle/lifecycle.ts';
import { testDatabaseUrl } from '../support/db-helpers.ts';
import { buildApp, testRedisConfig } from '../support/helpers.ts';
import { newTestRedisClient, testRedis } from '../support/redis-helpers.ts';

const READINESS_TIMEOUT_MS = 300;

describe('GET /api/v1/health/live', () => {
  it('When the process runs, then 200 without asking any dependency', async () => {
    const { app } = buildApp({
      dependencies: [
        { name: 'postgres', required: true, check: () => Promise.reject(new Error('down')) },
      ],
    });

    const res = await supertest(app).get('/api/v1/health/live');

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'ok', uptimeSeconds: expect.any(Number) });
  });
});

describe('Health checks and the rate limit', () => {
  it('When the prober’s address has used up its budget, then live and ready still answer 200: an orchestrator never reads a 429 as a dead instance', async () => {
    const { app } = buildApp({ config: testRedisConfig({ limit: 2 }) });
    await supertest(app).get('/api/v1/openapi.json').expect(200);
    await supertest(app).get('/api/v1/openapi.json').expect(200);
    await supertest(app).get('/api/v1/openapi.json').expect(429);

    const probes = await Promise.all(
      ['live', 'ready', 'live', 'ready'].map((check) =>
        supertest(app).get(`/api/v1/health/${check}`),
      ),
    );

    expect(probes.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    for (const res of probes) expect(res.headers.ratelimit).toBeUndefined();
  });
});

describe('GET /api/v1/health/ready', () => {
  it('When PostgreSQL answers, then 200 with its status and latency', async () => {
    const { app } = buildApp();

    const res = await supertest(app).get('/api/v1/health/ready');

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      status: 'ok',
      timestamp: expect.any(String),
      dependencies: { postgres: { status: 'up', required: true, latencyMs: expect.any(Number) } },
    });
  });

  it('When a required dependency hangs, then 503 within the timeout, not when it gives up', async () => {
    const { app } = buildApp({
      config: { readinessTimeoutMs: READINESS_TIMEOUT_MS },
      dependencies: [{ name: 'postgres', required: true, check: () => new Promise(() => {}) }],
    });

    const started = performance.now();
    const res = await supertest(app).get('/api/v1/health/ready');
    const took = performance.now() - started;

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'Not ready: postgres down.',
      fields: { postgres: `no answer within ${READINESS_TIMEOUT_MS} ms` },
    });
    expect(took).toBeLessThan(READINESS_TIMEOUT_MS + 1500);
  });

  it('When an optional dependency (a cache) is down, then 200 degraded: the instance still serves', async () => {
    const { app, deps } = buildApp();
    const cache = {
      name: 'redis',
      required: false,
      check: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const degraded = buildApp({ dependencies: [...deps.dependencies, cache] }).app;

    const res = await supertest(degraded).get('/api/v1/health/ready');

    expect(app).toBeDefined();
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('degraded');
    expect(res.body.data.dependencies.redis).toMatchObject({ status: 'down', required: false });
    expect(res.body.data.dependencies.postgres.status).toBe('up');
  });

  it('When the real Redis check (server.ts) runs, then up with the run’s Redis, and down but only degraded with a Redis nobody listens on', async () => {
    const { deps } = buildApp();
    const nobody = newTestRedisClient('redis://127.0.0.1:1');
    try {
      const up = buildApp({ dependencies: [...deps.dependencies, redisCheck(testRedis())] }).app;
      const down = buildApp({ dependencies: [...deps.dependencies, redisCheck(nobody)] }).app;

      const ok = await supertest(up).get('/api/v1/health/ready');
      const degraded = await supertest(down).get('/api/v1/health/ready');

      expect(ok.status).toBe(200);
      expect(ok.body.data.status).toBe('ok');
      expect(ok.body.data.dependencies.redis).toMatchObject({ status: 'up', required: false });
      expect(degraded.status).toBe(200);
      expect(degraded.body.data.status).toBe('degraded');
      expect(degraded.body.data.dependencies.redis).toMatchObject({
        status: 'down',
        required: false,
      });
    } finally {
      await nobody.close();
    }
  });

  it('When the process is shutting down, then 503 and every answer says Connection: close', async () => {
    const lifecycle = createLifecycle();
    const { app } = buildApp({ lifecycle });
    // A real keep-alive client on a real socket: supertest asks for Connection: close itself, so
    // through it this check could not fail.
    const client = await keepAliveClient(app);
    try {
      const before = await client.get('/api/v1/health/live');
      lifecycle.beginShutdown();
      const ready = await client.get('/api/v1/health/ready');
      const live = await client.get('/api/v1/health/live');

      expect(before.headers.connection).toBe('keep-alive'); // the client does keep connections
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body).error.message).toMatch(/^Shutting down/);
      expect(ready.headers.connection).toBe('close');
      expect(live.status).toBe(200); // alive: the orchestrator must not kill it mid-drain
      expect(live.headers.connection).toBe('close');
    } finally {
      await client.close();
    }
  });
});

/** GETs over one keep-alive connection (node:http's Agent), as a balancer or a browser sends them. */
async function keepAliveClient(app: RequestListener) {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get(path: string) {
      return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>(
        (resolve, reject) => {
          const req = httpGet({ host: '127.0.0.1', port, path, agent }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
          });
          req.on('error', reject);
        },
      );
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('Readiness when the network to PostgreSQL fails', () => {
  const url = new URL(testDatabaseUrl());
  const proxyReady = startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  afterAll(async () => (await proxyReady).close());

  it('When the connection is cut, then 503 within the bound; when it is back, then 200 without a restart', async () => {
    const proxy = await proxyReady;
    const through = new URL(testDatabaseUrl());
    through.port = String(proxy.port);
    const pool = createPool(through.toString(), { connectionTimeoutMillis: 1000 });
    try {
      const { app } = buildApp({
        config: { readinessTimeoutMs: READINESS_TIMEOUT_MS },
        dependencies: [postgresCheck(pool)],
      });
      const ready = () => supertest(app).get('/api/v1/health/ready');
      // The check's clocks are short on purpose (300 ms, a 1 s connect); on a busy machine the
      // first connect can outlast them. Once 200 comes, the same pool and app must come back to
      // it by themselves: the probe asks again, as an orchestrator does, for a bounded while.
      const readyAgain = () => vi.waitFor(() => ready().expect(200), { timeout: 8_000 });
      expect((await readyAgain()).status).toBe(200);

      await proxy.cut();
      const started = performance.now();
      const down = await ready();
      const took = performance.now() - started;
      await proxy.restore();
      const back = await readyAgain();

      expect(down.status).toBe(503);
      expect(down.body.error.fields).toEqual({ postgres: expect.any(String) });
      expect(JSON.stringify(down.body)).not.toMatch(/postgres:\/\/|127\.0\.0\.1/);
      expect(took).toBeLessThan(READINESS_TIMEOUT_MS + 1500);
      expect(back.status).toBe(200);
      expect(back.body.data.dependencies.postgres.status).toBe('up');
    } finally {
      await closePool(pool);
    }
  });
});
