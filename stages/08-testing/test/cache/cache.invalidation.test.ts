import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { describe, expect, it, vi } from 'vitest';
import { versionKey } from '../../src/cache/cache-keys.ts';
import { type RedisClient, redisReady } from '../../src/db/redis.ts';
import { createPgStatsRepository } from '../../src/stats/stats.repository.pg.ts';
import { countRows, insertPastTicket, testPool } from '../support/db-helpers.ts';
import { buildApp, CALLER, createTicket, request, testRedisConfig } from '../support/helpers.ts';
import { newTestRedisClient, testRedis } from '../support/redis-helpers.ts';

const { bob } = FIXTURE_USERS;
type App = ReturnType<typeof buildApp>['app'];

/** Reads the dashboard twice so that its answer is cached (the second read says HIT). */
async function cachedStats(app: App) {
  await request(app).get('/api/v1/stats');
  const res = await request(app).get('/api/v1/stats');
  expect(res.headers['x-cache']).toBe('HIT');
  return res.body.data;
}

async function cachedList(app: App, query = '?include=comments') {
  await request(app).get(`/api/v1/tickets${query}`);
  const res = await request(app).get(`/api/v1/tickets${query}`);
  expect(res.headers['x-cache']).toBe('HIT');
  return res.body;
}

/** The test's real client, except that SET fails while `setFails(true)`: the version bump is
 * lost on the way, as when a command deadline trips. */
function flakyRedis(real: RedisClient = testRedis()) {
  let failing = true;
  const client: RedisClient = {
    get isReady() {
      return real.isReady;
    },
    get: (key) => real.get(key),
    setWithTtl: (key, value, seconds) => real.setWithTtl(key, value, seconds),
    setIfAbsent: (key, value, ms) => real.setIfAbsent(key, value, ms),
    set: (key, value) =>
      failing ? Promise.reject(new Error('connection lost')) : real.set(key, value),
    getOrSet: (key, value) => real.getOrSet(key, value),
    deleteIfEquals: (key, value) => real.deleteIfEquals(key, value),
    sendCommand: (args) => real.sendCommand(args),
    close: () => real.close(),
  };
  return { client, setFails: (fails: boolean) => (failing = fails) };
}

// LESSON (tested): every write that changes a cached answer makes the next read fresh. One
// test per write; each asserts the new answer, not just "MISS".
describe('Cache invalidation: the read after a write is fresh', () => {
  it('When a ticket is created, then the next dashboard and list are MISSes that include it', async () => {
    const { app } = buildApp();
    expect((await cachedStats(app)).total).toBe(0);
    await cachedList(app);

    const created = await createTicket(app);
    const stats = await request(app).get('/api/v1/stats');
    const list = await request(app).get('/api/v1/tickets?include=comments');

    expect(stats.headers['x-cache']).toBe('MISS');
    expect(stats.body.data.total).toBe(1);
    expect(list.headers['x-cache']).toBe('MISS');
    expect(list.body.data.map((t: { id: string }) => t.id)).toEqual([created.id]);
  });

  it('When a ticket is updated, then the next list shows the change', async () => {
    const { app } = buildApp();
    const ticket = await insertPastTicket(1, { subject: 'Before' });
    await cachedList(app);

    await request(app).patch(`/api/v1/tickets/${ticket.id}`).send({ subject: 'After' }).expect(200);
    const list = await request(app).get('/api/v1/tickets?include=comments');

    expect(list.headers['x-cache']).toBe('MISS');
    expect(list.body.data[0].subject).toBe('After');
  });

  it('When a ticket is assigned, then the next dashboard counts it for the agent', async () => {
    const { app } = buildApp();
    const ticket = await insertPastTicket(1);
    expect((await cachedStats(app)).openByAssignee).toEqual([]);

    await request(app)
      .patch(`/api/v1/tickets/${ticket.id}`)
      .send({ assigneeId: bob.id })
      .expect(200);
    const stats = await request(app).get('/api/v1/stats');

    expect(stats.headers['x-cache']).toBe('MISS');
    expect(stats.body.data.openByAssignee).toEqual([
      { assigneeId: bob.id, name: bob.name, open: 1 },
    ]);
  });

  it('When a ticket is resolved, then the next dashboard counts it as resolved', async () => {
    const { app } = buildApp();
    const ticket = await insertPastTicket(5);
    expect((await cachedStats(app)).byStatus.resolved).toBe(0);

    await request(app).post(`/api/v1/tickets/${ticket.id}/resolve`).expect(200);
    const stats = await request(app).get('/api/v1/stats');

    expect(stats.headers['x-cache']).toBe('MISS');
    expect(stats.body.data.byStatus).toMatchObject({ open: 0, resolved: 1 });
  });

  it('When a ticket is reopened, then the next dashboard counts it as open again', async () => {
    const { app } = buildApp();
    const resolvedAt = new Date().toISOString();
    const ticket = await insertPastTicket(5, { status: 'resolved', resolvedAt });
    expect((await cachedStats(app)).byStatus.resolved).toBe(1);

    await request(app).patch(`/api/v1/tickets/${ticket.id}`).send({ status: 'open' }).expect(200);
    const stats = await request(app).get('/api/v1/stats');

    expect(stats.headers['x-cache']).toBe('MISS');
    expect(stats.body.data.byStatus).toMatchObject({ open: 1, resolved: 0 });
  });

  it('When a ticket is deleted, then the next list and dashboard no longer have it', async () => {
    const { app } = buildApp();
    const ticket = await insertPastTicket(1);
    await cachedList(app);
    expect((await cachedStats(app)).total).toBe(1);

    await request(app).delete(`/api/v1/tickets/${ticket.id}`).expect(204);
    const list = await request(app).get('/api/v1/tickets?include=comments');
    const stats = await request(app).get('/api/v1/stats');

    expect(await countRows('tickets')).toBe(0);
    expect(list.body.data).toEqual([]);
    expect(stats.body.data.total).toBe(0);
  });

  it('When a comment is added, then the next ?include=comments page carries it', async () => {
    const { app } = buildApp();
    const ticket = await insertPastTicket(1);
    expect((await cachedList(app)).data[0].commentCount).toBe(0);

    await request(app)
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .send({ body: 'On it.' })
      .expect(201);
    const list = await request(app).get('/api/v1/tickets?include=comments');

    expect(list.headers['x-cache']).toBe('MISS');
    expect(list.body.data[0].commentCount).toBe(1);
    expect(list.body.data[0].comments[0].body).toBe('On it.');
  });

  it('When a write is refused, then nothing changed and the cached answer stays a HIT', async () => {
    const { app } = buildApp();
    const ticket = await insertPastTicket(1, { status: 'closed' });
    await cachedStats(app);

    await request(app).post(`/api/v1/tickets/${ticket.id}/resolve`).expect(409);
    const stats = await request(app).get('/api/v1/stats');

    expect(stats.headers['x-cache']).toBe('HIT');
  });
});

describe('Cache invalidation: a read that started before a write', () => {
  it('When a write lands while a read is still querying, then the read cannot store its stale answer for later readers', async () => {
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
    const { app } = buildApp({ stats });

    const early = request(app)
      .get('/api/v1/stats')
      .then((res) => res);
    await hasQueried; // it counted 0 tickets
    await createTicket(app); // committed, version bumped
    openGate();
    const earlyRes = await early;
    const next = await request(app).get('/api/v1/stats');

    expect(earlyRes.body.data.total).toBe(0); // stale, as it may be: it started first
    expect(next.headers['x-cache']).toBe('MISS');
    expect(next.body.data.total).toBe(1);
  });
});

describe('Cache invalidation: when Redis loses a version', () => {
  it('When the account’s version key is gone (evicted, or lost) after a write, then the next read is fresh, not the answer stored before the write', async () => {
    const { app } = buildApp();
    expect((await cachedStats(app)).total).toBe(0); // stored under the version of that moment
    await createTicket(app); // a new version: the stored answer is unreachable

    // What `maxmemory` eviction, or a Redis that lost some of its data, does: the version goes,
    // the answers stored under the old one stay until their TTL.
    const version = versionKey(testRedisConfig().cache.prefix, CALLER.accountId);
    await testRedis().sendCommand(['DEL', version]);
    const stats = await request(app).get('/api/v1/stats');

    expect(stats.headers['x-cache']).toBe('MISS');
    expect(stats.body.data.total).toBe(1);
  });
});

describe('Cache invalidation: when the version bump cannot reach Redis', () => {
  it('When a write cannot bump the version, then this process reads around its stale entry until the bump gets through', async () => {
    const { client: flaky, setFails } = flakyRedis();
    const { app, deps } = buildApp({ redis: flaky });
    expect((await cachedStats(app)).total).toBe(0);

    await createTicket(app);
    const whileLost = await request(app).get('/api/v1/stats');
    setFails(false);
    const afterwards = await request(app).get('/api/v1/stats');
    const again = await request(app).get('/api/v1/stats');

    expect(deps.logs.events('cache.invalidate_failed')).toContainEqual(
      expect.objectContaining({ reason: 'connection lost' }),
    );
    expect(whileLost.headers['x-cache']).toBe('BYPASS');
    expect(whileLost.body.data.total).toBe(1);
    expect(afterwards.headers['x-cache']).toBe('MISS');
    expect(afterwards.body.data.total).toBe(1);
    expect(again.headers['x-cache']).toBe('HIT');
  });
});

describe('Cache invalidation: a lost bump on one instance, seen from another', () => {
  it('When a write’s bump is lost and no other request reaches that instance, then it retries the bump in the background and the other instance reads fresh within seconds', async () => {
    const other = newTestRedisClient();
    await redisReady(other);
    try {
      const { client: flaky, setFails } = flakyRedis();
      const writer = buildApp({ redis: flaky }).app;
      const reader = buildApp({ redis: other }).app;
      expect((await cachedStats(reader)).total).toBe(0);

      await createTicket(writer); // committed; its bump fails
      setFails(false); // Redis answers again; the writer gets no other request

      // Without the retry, the reader serves its HIT with total 0 until the TTL (5 min).
      await vi.waitFor(
        async () => {
          const stats = await request(reader).get('/api/v1/stats');
          expect(stats.body.data.total).toBe(1);
        },
        { timeout: 5_000, interval: 100 },
      );
    } finally {
      await other.close();
    }
  });

  it('When Redis stays unreachable for the whole TTL, then the retries give up and the log says the bump never landed', async () => {
    const { client: flaky } = flakyRedis(); // SET never succeeds
    const config = testRedisConfig();
    const { app, deps } = buildApp({
      redis: flaky,
      config: { cache: { ...config.cache, ttlSeconds: 1 } },
    });

    await createTicket(app);

    await vi.waitFor(
      () =>
        expect(deps.logs.events('cache.invalidate_gave_up')).toEqual([
          expect.objectContaining({ ttlSeconds: 1, reason: 'connection lost' }),
        ]),
      { timeout: 5_000, interval: 100 },
    );
  });
});
