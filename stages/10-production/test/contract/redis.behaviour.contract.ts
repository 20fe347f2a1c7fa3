import { type RedisReply, RedisStore } from 'rate-limit-redis';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/db/redis.ts';

/** One Redis (real or fake) for one test, and a key name no other test uses. */
export interface RedisSubject {
  redis: RedisClient;
  key(name: string): string;
}

const WINDOW_MS = 60_000;

/** The store our rate limiters use (src/middleware/rate-limit.ts), on `redis`. */
async function limiterStore(subject: RedisSubject): Promise<RedisStore> {
  const store = new RedisStore({
    prefix: subject.key('rl:'),
    sendCommand: (...args: string[]) => subject.redis.sendCommand(args) as Promise<RedisReply>,
  });
  await store.init({ windowMs: WINDOW_MS } as Parameters<RedisStore['init']>[0]);
  return store;
}

/** Time left on `key`, as Redis reports it: -2 missing, -1 no expiry. */
async function pttl(subject: RedisSubject, key: string): Promise<number> {
  return Number(await subject.redis.sendCommand(['PTTL', key]));
}

// What the cache (src/cache/query-cache.ts) and the rate limiters rely on. Expiry itself is
// Redis's promise once PTTL says so; the fake's clock-driven expiry is tested against PTTL in
// test/fakes/redis.fake.unit.test.ts on fake timers. No test here waits for time to pass.
export function describeRedisBehaviour(name: string, connect: () => Promise<RedisSubject>) {
  describe(`Redis behaviour (${name})`, () => {
    let subject: RedisSubject;
    beforeEach(async () => {
      subject = await connect();
    });

    it('When a key was never set, then get answers null and PTTL -2', async () => {
      const key = subject.key('missing');

      expect(await subject.redis.get(key)).toBeNull();
      expect(await pttl(subject, key)).toBe(-2);
    });

    it('When a value is set with a TTL, then get returns it and PTTL counts down from that TTL', async () => {
      const key = subject.key('answer');

      await subject.redis.setWithTtl(key, '{"a":1}', 300);

      expect(await subject.redis.get(key)).toBe('{"a":1}');
      const left = await pttl(subject, key);
      expect(left).toBeGreaterThan(290_000);
      expect(left).toBeLessThanOrEqual(300_000);
    });

    it('When a version is set, then it replaces what was there and never expires, a TTL included', async () => {
      const key = subject.key('version');
      await subject.redis.setWithTtl(key, 'old', 60);

      await subject.redis.set(key, 'new');

      expect(await subject.redis.get(key)).toBe('new');
      expect(await pttl(subject, key)).toBe(-1);
    });

    it('When getOrSet finds no key, then it stores the value, without expiry, and answers it', async () => {
      const key = subject.key('version');

      expect(await subject.redis.getOrSet(key, 'fresh')).toBe('fresh');

      expect(await subject.redis.get(key)).toBe('fresh');
      expect(await pttl(subject, key)).toBe(-1);
    });

    it('When getOrSet finds a key, then it answers what is stored and changes nothing (SET NX GET)', async () => {
      const key = subject.key('version');
      await subject.redis.setWithTtl(key, 'stored', 60);

      expect(await subject.redis.getOrSet(key, 'other')).toBe('stored');

      expect(await subject.redis.get(key)).toBe('stored');
      expect(await pttl(subject, key)).toBeGreaterThan(0);
    });

    it('When two ask for the same lock (SET NX PX), then only the first gets it, with that expiry', async () => {
      const key = subject.key('lock');

      expect(await subject.redis.setIfAbsent(key, 'first', 5_000)).toBe(true);
      expect(await subject.redis.setIfAbsent(key, 'second', 5_000)).toBe(false);

      expect(await subject.redis.get(key)).toBe('first');
      const left = await pttl(subject, key);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(5_000);
    });

    it("When a lock is released with another holder's token, then it stays; with its own, it goes", async () => {
      const key = subject.key('lock');
      await subject.redis.setIfAbsent(key, 'mine', 5_000);

      await subject.redis.deleteIfEquals(key, 'theirs');
      expect(await subject.redis.get(key)).toBe('mine');

      await subject.redis.deleteIfEquals(key, 'mine');
      expect(await subject.redis.get(key)).toBeNull();
      expect(await subject.redis.setIfAbsent(key, 'next', 5_000)).toBe(true);
    });

    it('When the limiter counts hits, then 1, 2, 3 within one window, each with its reset time', async () => {
      const store = await limiterStore(subject);
      const before = Date.now();

      const first = await store.increment('user:1');
      await store.increment('user:1');
      const third = await store.increment('user:1');

      expect([first.totalHits, third.totalHits]).toEqual([1, 3]);
      const reset = first.resetTime?.getTime() ?? 0;
      expect(reset).toBeGreaterThanOrEqual(before + WINDOW_MS - 1_000);
      expect(reset).toBeLessThanOrEqual(Date.now() + WINDOW_MS);
      expect((await store.get('user:1'))?.totalHits).toBe(3);
    });

    it('When one key is decremented or reset, then only its count changes', async () => {
      const store = await limiterStore(subject);
      await store.increment('a');
      await store.increment('a');
      await store.increment('b');

      await store.decrement('a');
      expect((await store.get('a'))?.totalHits).toBe(1);

      await store.resetKey('a');
      expect((await store.increment('a')).totalHits).toBe(1);
      expect((await store.get('b'))?.totalHits).toBe(1);
    });

    it('When a client reconnects after a restart (the scripts are gone), then the limiter loads them again', async () => {
      const store = await limiterStore(subject);
      // What a restarted Redis answers: the store's script sha is unknown.
      store.incrementScriptSha = Promise.resolve('0'.repeat(40));

      expect((await store.increment('user:2')).totalHits).toBe(1);
    });
  });
}
