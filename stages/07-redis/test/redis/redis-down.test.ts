import { FIXTURE_PASSWORD, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import { type OwnRedis, ownRedisServer } from '@backend-path/shared/testing/redis-process';
import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createRedisClient,
  type RedisClient,
  RedisSkippedError,
  RedisTimeoutError,
  redisReady,
  SKIP_AFTER_TIMEOUT_MS,
} from '../../src/db/redis.ts';
import { createPgStatsRepository } from '../../src/stats/stats.repository.pg.ts';
import { countRows, insertPastTicket, testPool } from '../support/db-helpers.ts';
import { buildApp, request, testRedisConfig } from '../support/helpers.ts';
import { newTestRedisClient } from '../support/redis-helpers.ts';

const { alice } = FIXTURE_USERS;
// Redis down must cost a request milliseconds; with node-redis's defaults (offline queue, 5 s
// command timeout) each one waited seconds. The bound is loose for a busy test machine.
const BOUND_MS = 1_000;

let redis: OwnRedis;
let client: RedisClient;

beforeAll(async () => {
  redis = await ownRedisServer();
  await redis.start();
  // As server.ts builds it: the real 100 ms command timeout.
  client = createRedisClient({
    url: redis.url,
    connectTimeoutMs: 1_000,
    commandTimeoutMs: 100,
    onError: () => {},
  });
  await redisReady(client);
});

// Every test starts on a connected client, whatever ran before it: a test that restarted Redis
// leaves this client reconnecting (backoff up to 2 s), and in a shuffled order the next test would
// see "The client is offline" where it expects the behaviour it names.
beforeEach(async () => {
  await redisReady(client, 10_000);
});

afterAll(async () => {
  await client?.close();
  await redis?.close();
});

async function countUsersNamed(email: string): Promise<number> {
  const { rows } = await testPool().query('SELECT 1 FROM users WHERE email = $1', [email]);
  return rows.length;
}

async function untilDisconnected() {
  const deadline = Date.now() + 5_000;
  while (client.isReady && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(client.isReady).toBe(false);
}

async function timed<T>(send: () => PromiseLike<T>): Promise<{ res: T; ms: number }> {
  const started = performance.now();
  const res = await send();
  return { res, ms: performance.now() - started };
}

/**
 * The /stats answers until the cache answers HIT, BYPASSes left out. With the real 100 ms
 * deadline a busy test machine can make one command miss it; the client then skips Redis for a
 * second (a BYPASS): that is the design working, so it is waited out, not counted as a failure.
 */
async function untilHit(app: Parameters<typeof request>[0]): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + 5_000;
  while (seen.at(-1) !== 'HIT' && Date.now() < deadline) {
    const answer = String((await request(app).get('/api/v1/stats')).headers['x-cache']);
    if (answer === 'BYPASS') await new Promise((r) => setTimeout(r, 100));
    else seen.push(answer);
  }
  return seen;
}

/** The statuses of `times` logins as alice with a wrong password, one after the other. */
async function wrongLogins(app: Parameters<typeof request>[0], times: number): Promise<number[]> {
  const statuses = [];
  for (let i = 0; i < times; i += 1) {
    const res = await supertest(app)
      .post('/api/v1/auth/login')
      .send({ email: alice.email, password: 'wrong' });
    statuses.push(res.status);
  }
  return statuses;
}

function appOnOwnRedis() {
  return buildApp({ redis: client, config: testRedisConfig({ loginLimitPerEmail: 2 }) });
}

// LESSON (tested): Redis is an optimisation and a shared counter, not the source of truth. When
// it dies, reads come from PostgreSQL, writes still work, the general limit lets requests
// through, the login limit refuses them, nothing waits long — and when it is back, all of it
// works again without a restart.
describe('When Redis goes down, and comes back', () => {
  it('When Redis is stopped, then reads BYPASS the cache, writes succeed, logins get 503, all within the bound; and after a restart everything works again', async () => {
    const { app, deps } = appOnOwnRedis();
    await insertPastTicket(1);
    expect(await untilHit(app)).toEqual(['MISS', 'HIT']);

    await redis.stop();
    await untilDisconnected();

    const stats = await timed(() => request(app).get('/api/v1/stats'));
    const list = await timed(() => request(app).get('/api/v1/tickets'));
    const created = await timed(() =>
      request(app).post('/api/v1/tickets').send(buildCreateTicketInput()),
    );
    const login = await timed(() =>
      supertest(app)
        .post('/api/v1/auth/login')
        .send({ email: alice.email, password: FIXTURE_PASSWORD }),
    );
    const signUp = await timed(() =>
      supertest(app).post('/api/v1/auth/register').send({
        email: 'while-redis-is-down@initech.test',
        password: FIXTURE_PASSWORD,
        name: 'Peter',
        accountName: 'Initech',
      }),
    );

    expect(stats.res.status).toBe(200);
    expect(stats.res.headers['x-cache']).toBe('BYPASS');
    expect(stats.res.body.data.total).toBe(1);
    expect(list.res.headers['x-cache']).toBe('BYPASS');
    expect(created.res.status).toBe(201);
    expect(await countRows('tickets')).toBe(2);
    // The general limit failed open (and said so); the login limit failed closed.
    expect(deps.logs.events('rate_limit.failed')).toContainEqual(
      expect.objectContaining({ limiter: 'api', reason: expect.any(String) }),
    );
    expect(login.res.status).toBe(503);
    expect(login.res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(login.res.headers['retry-after']).toBe('5');
    // So did the new-user limit: without it, every sign-up is a bcrypt hash anyone can order.
    expect(signUp.res.status).toBe(503);
    expect(signUp.res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(await countUsersNamed('while-redis-is-down@initech.test')).toBe(0);
    for (const { ms } of [stats, list, created, login, signUp]) expect(ms).toBeLessThan(BOUND_MS);

    // Back, empty (no persistence: its Lua scripts are gone too), on the same address.
    await redis.start();
    await redisReady(client, 10_000);

    // Empty after the restart: a MISS (the fresh count), then a HIT.
    const answers = await untilHit(app);
    const fresh = await request(app).get('/api/v1/stats');
    const logins = await wrongLogins(app, 3);

    expect(answers).toEqual(['MISS', 'HIT']);
    expect(fresh.body.data.total).toBe(2);
    // The limiter reloaded its script after NOSCRIPT and counts again: 2 allowed, then 429.
    expect(logins).toEqual([401, 401, 429]);
  });

  it('When Redis hangs (accepts, never answers), then a request gives up on it after the command deadline, the next ones skip it at once, and it is used again once it answers', async () => {
    const { app } = appOnOwnRedis();
    await insertPastTicket(1);
    redis.freeze();
    try {
      const stats = await timed(() => request(app).get('/api/v1/stats'));
      const skipped = await client.get('anything').catch((caught: unknown) => caught);

      expect(stats.res.status).toBe(200);
      expect(stats.res.headers['x-cache']).toBe('BYPASS');
      expect(stats.ms).toBeLessThan(BOUND_MS);
      // Not sent at all: a command timed out a moment ago (src/db/redis.ts).
      expect(skipped).toBeInstanceOf(RedisSkippedError);
    } finally {
      redis.thaw();
    }
    // After the pause (SKIP_AFTER_TIMEOUT_MS), the cache works again, no restart.
    await new Promise((resolve) => setTimeout(resolve, SKIP_AFTER_TIMEOUT_MS));
    expect((await untilHit(app)).at(-1)).toBe('HIT');
  });

  it('When Redis is stopped, then a command fails at once (offline), not after waiting for the timeout', async () => {
    await redis.stop();
    await untilDisconnected();
    try {
      const error = await client.get('anything').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(RedisTimeoutError);
    } finally {
      await redis.start();
      await redisReady(client, 10_000);
    }
  });

  it('When the API starts while Redis is down, then once Redis is up the login limit counts', async () => {
    await redis.stop();
    // A client (and the limiters' script loads) born while nothing answers. Its deadline is
    // 1 s, not the real 100 ms: what this test names is the script load after a late start, and
    // under a busy CI a reply that took 100 ms made the third login a (correct) fail-closed 503.
    // The 100 ms deadline has its own test above (Redis hangs).
    const late = createRedisClient({
      url: redis.url,
      connectTimeoutMs: 1_000,
      commandTimeoutMs: 1_000,
      onError: () => {},
    });
    try {
      const { app } = buildApp({ redis: late, config: testRedisConfig({ loginLimitPerEmail: 2 }) });
      const during = await wrongLogins(app, 1);
      expect(during).toEqual([503]);

      await redis.start();
      await redisReady(late, 10_000);
      const logins = await wrongLogins(app, 3);

      expect(logins).toEqual([401, 401, 429]);
    } finally {
      await late.close();
    }
  });
});

describe('When Redis comes back without its data', () => {
  /** The first /stats answer that used the cache (a BYPASS is a busy machine's missed deadline). */
  async function cachedStats(app: Parameters<typeof request>[0]) {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const res = await request(app).get('/api/v1/stats');
      if (res.headers['x-cache'] !== 'BYPASS' || Date.now() > deadline) return res;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('When a read that began before a write stores its answer after Redis restarted empty, then no later reader gets it: a lost version is never reused', async () => {
    // The dashboard's query runs, then waits for the gate before its answer goes to the cache.
    const real = createPgStatsRepository(testPool());
    let queried!: () => void;
    const hasQueried = new Promise<void>((resolve) => (queried = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let slow = true;
    const stats = {
      async ticketStats(scope: Parameters<typeof real.ticketStats>[0]) {
        const answer = await real.ticketStats(scope);
        if (slow) {
          slow = false;
          queried();
          await gate;
        }
        return answer;
      },
    };
    // A roomy command deadline: this test is about what gets stored, not about slow replies.
    const roomy = newTestRedisClient(redis.url);
    try {
      await redisReady(roomy);
      const { app } = buildApp({ redis: roomy, stats, config: testRedisConfig() });

      const early = request(app)
        .get('/api/v1/stats')
        .then((res) => res);
      await hasQueried; // it counted 0 tickets, and will store them under the version it read
      await request(app).post('/api/v1/tickets').send(buildCreateTicketInput()).expect(201);
      await redis.stop(); // no persistence: every key is gone, the versions with them
      await untilDisconnected();
      await redis.start();
      await redisReady(roomy, 10_000);
      openGate();
      const stale = await early;
      const next = await cachedStats(app);

      expect(stale.body.data.total).toBe(0); // stale, as it may be: it started first
      expect(stale.headers['x-cache']).toBe('MISS'); // ...and stored, in the Redis that came back
      expect(next.headers['x-cache']).toBe('MISS');
      expect(next.body.data.total).toBe(1);
    } finally {
      await roomy.close();
      await redisReady(client, 10_000);
    }
  });
});
