import { fileURLToPath } from 'node:url';
import { keepAliveLoad } from '@backend-path/shared/testing/keep-alive-load';
import { type RunningServer, startStageServer } from '@backend-path/shared/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/db-helpers.ts';
import { TEST_JWT_SECRET } from '../support/helpers.ts';
import { spawnedServerRedisEnv } from '../support/redis-helpers.ts';

// Black box: the real src/server.ts in a process of its own, as `pnpm start` runs it. The other
// tests call createApp() and never see the port, the event-loop monitor or the wiring.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const ENV = {
  DATABASE_URL: testDatabaseUrl(),
  JWT_SECRET: TEST_JWT_SECRET,
  BCRYPT_COST: '4',
  ...spawnedServerRedisEnv(),
};
let server: RunningServer;

beforeAll(async () => {
  server = await startStageServer({ cwd: STAGE_DIR, env: ENV });
}, 30_000);

afterAll(() => server?.stop());

describe('src/server.ts', () => {
  it('When started with PORT, then it answers on that port', async () => {
    const res = await fetch(`${server.url}/api/v1/health`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { status: 'ok' } });
  });

  it('When it has run for a moment, then the event-loop monitor has samples', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));

    const res = await fetch(`${server.url}/api/v1/metrics/event-loop`);

    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { samples: number } };
    expect(body.data.samples).toBeGreaterThan(0);
  });
});

describe('src/server.ts on SIGTERM', () => {
  it('When a keep-alive client keeps sending as SIGTERM arrives, then no request is reset: each is answered or refused on a new connection, and the server exits 0 at once', async () => {
    // Its own Redis keys: its thousands of requests would fill the rate limit of the server
    // above (the same client address), whose tests may run after this one in a shuffled order.
    const own = await startStageServer({
      cwd: STAGE_DIR,
      env: { ...ENV, ...spawnedServerRedisEnv() },
    });
    // 16 keep-alive connections, each sending its next request the moment the last is answered.
    const load = keepAliveLoad({
      url: own.url,
      connections: 16,
      next: () => ({ path: '/api/v1/tickets' }),
      stopOnRefused: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const signalled = Date.now();
    own.kill('SIGTERM');
    // A server that keeps serving its keep-alive connections never exits while they send.
    const exit = await Promise.race([
      own.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 8000)),
    ]);
    const tookMs = Date.now() - signalled;
    const report = await load.stop();
    if (exit === 'still running') own.kill('SIGKILL');

    // A reset would be a request sent on a connection the server then threw away unread. What
    // may fail is a new connection after the listener closed: refused, before a byte was sent.
    expect(Object.keys(report.errors).filter((code) => code !== 'ECONNREFUSED')).toEqual([]);
    expect(Object.values(report.statuses).reduce((a, b) => a + b, 0)).toBeGreaterThan(16);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(5000);
  }, 30_000);
});
