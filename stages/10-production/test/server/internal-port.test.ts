import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { getFreePort, startStageServer } from '@backend-path/shared/testing/server';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp, createInternalApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { testDatabaseUrl } from '../support/db-helpers.ts';
import { buildApp, buildDeps } from '../support/helpers.ts';
import { spawnedServerRedisEnv } from '../support/redis-helpers.ts';

const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal/app' };

// LESSON (tested): /metrics tells anyone how busy each route is and how it fails, /docs lists
// every route with its inputs. For the scraper and the team, not for the internet: in production
// they live on a port of their own (INTERNAL_PORT), which no balancer routes and no Service
// publishes; the public port answers 404 there, as for any path it does not have.
describe('INTERNAL_PORT: where /metrics and /docs live', () => {
  it('When NODE_ENV is production, then they move to port 9464 unless INTERNAL_PORT says another; elsewhere they stay on PORT unless it is set', () => {
    expect(loadConfig(PRODUCTION).internalPort).toBe(9464);
    expect(loadConfig({ ...PRODUCTION, INTERNAL_PORT: '9100' }).internalPort).toBe(9100);
    expect(loadConfig({}).internalPort).toBeUndefined();
    expect(loadConfig({ INTERNAL_PORT: '9100' }).internalPort).toBe(9100);
    expect(() => loadConfig({ INTERNAL_PORT: 'metrics' })).toThrow(/INTERNAL_PORT/);
  });

  it('When there is an internal port, then the public app answers 404 for /metrics and /docs, and the contract stays public', async () => {
    const { app } = buildApp({ config: { internalPort: 9464 } });

    const metrics = await supertest(app).get('/metrics');
    const docs = await supertest(app).get('/docs/');
    const contract = await supertest(app).get('/api/v1/openapi.json');

    expect(metrics.status).toBe(404);
    expect(metrics.body.error.code).toBe('NOT_FOUND');
    expect(metrics.text).not.toContain('http_requests_total');
    expect(docs.status).toBe(404);
    expect(docs.body.error.code).toBe('NOT_FOUND');
    expect(contract.status).toBe(200);
  });

  it('When the internal app is asked, then it serves /metrics (counting the public requests) and /docs', async () => {
    const deps = buildDeps({ config: { internalPort: 9464 } });
    const app = createApp(deps);
    await supertest(app).get('/api/v1/health/live').expect(200);
    const internal = createInternalApp(deps);

    const metrics = await supertest(internal).get('/metrics');
    const docs = await supertest(internal).get('/docs/');
    const document = await supertest(internal).get('/api/v1/openapi.json');

    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('http_requests_total{method="GET",route="/health/live"');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    expect(document.body.openapi).toMatch(/^3\./);
  });

  it('When the real server starts in production, then /metrics answers on INTERNAL_PORT only, and SIGTERM closes both ports with exit 0', async () => {
    const internalPort = await getFreePort();
    const redis = spawnedServerRedisEnv();
    // The same server, not the development value production refuses (redis://localhost:6379).
    redis.REDIS_URL = (redis.REDIS_URL ?? '').replace('//localhost:', '//127.0.0.1:');
    const server = await startStageServer({
      cwd: STAGE_DIR,
      timeoutMs: 45_000,
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: testDatabaseUrl(),
        JWT_SECRET: randomBytes(32).toString('base64url'),
        BCRYPT_COST: '10',
        CORS_ORIGINS: 'https://app.example',
        INTERNAL_PORT: String(internalPort),
        ...redis,
      },
    });
    try {
      const publicMetrics = await fetch(`${server.url}/metrics`);
      const internalMetrics = await fetch(`http://127.0.0.1:${internalPort}/metrics`);
      const publicDocs = await fetch(`${server.url}/docs/`);

      expect(publicMetrics.status).toBe(404);
      expect(internalMetrics.status).toBe(200);
      expect(await internalMetrics.text()).toContain('http_requests_total');
      expect(publicDocs.status).toBe(404);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toMatchObject({ code: 0 });
    await expect(fetch(`http://127.0.0.1:${internalPort}/metrics`)).rejects.toThrow();
  }, 60_000);
});
