import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BUMP_RETRY_FIRST_MS,
  BUMP_RETRY_MAX_MS,
  type CacheSettings,
  createQueryCache,
} from '../../src/cache/query-cache.ts';
import type { RedisClient } from '../../src/db/redis.ts';
import { createFakeRedis } from '../fakes/redis.fake.ts';

// Cache-aside (src/cache/query-cache.ts) on the fake Redis and a fake clock: TTLs, the lock's
// expiry and the losers' polling all run on vi's timers, so nothing here waits for real time.
const T0 = new Date('2026-03-01T09:00:00.000Z');
const SETTINGS: CacheSettings = { prefix: 'c:', ttlSeconds: 300, lockMs: 2_000, lockWaitMs: 1_000 };
const quiet = { error: () => {} };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A load that counts its calls and answers `value` (or waits for `gate` first). */
function loader<T>(value: () => T, gate?: Promise<void>) {
  const load = vi.fn(async () => {
    await gate;
    return value();
  });
  return load;
}

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

describe('QueryCache.read: hit and miss', () => {
  it('When a query is read twice, then the database is asked once: MISS, then HIT with the same answer', async () => {
    const cache = createQueryCache(createFakeRedis(), SETTINGS, quiet);
    const load = loader(() => ({ total: 3 }));

    const first = await cache.read('acme', 'q', load);
    const second = await cache.read('acme', 'q', load);

    expect(first).toEqual({ value: { total: 3 }, status: 'MISS' });
    expect(second).toEqual({ value: { total: 3 }, status: 'HIT' });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('When another account reads the same query, then it gets its own answer (the account is in the key)', async () => {
    const cache = createQueryCache(createFakeRedis(), SETTINGS, quiet);
    await cache.read(
      'acme',
      'q',
      loader(() => 'acme data'),
    );

    const other = await cache.read(
      'globex',
      'q',
      loader(() => 'globex data'),
    );

    expect(other).toEqual({ value: 'globex data', status: 'MISS' });
  });

  it('When the TTL has passed, then the answer is loaded again', async () => {
    const cache = createQueryCache(createFakeRedis(), SETTINGS, quiet);
    const load = loader(() => 'answer');
    await cache.read('acme', 'q', load);

    vi.advanceTimersByTime(299_999);
    expect((await cache.read('acme', 'q', load)).status).toBe('HIT');
    vi.advanceTimersByTime(1);
    expect((await cache.read('acme', 'q', load)).status).toBe('MISS');
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('QueryCache.invalidate: the version bump', () => {
  it("When the account's data changes, then its next read is a MISS with the new answer", async () => {
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, quiet);
    let total = 1;
    await cache.read(
      'acme',
      'q',
      loader(() => total),
    );

    const before = await redis.get('c:v:acme');

    total = 2;
    await cache.invalidate('acme');

    expect(
      await cache.read(
        'acme',
        'q',
        loader(() => total),
      ),
    ).toEqual({ value: 2, status: 'MISS' });
    expect(await redis.get('c:v:acme')).toMatch(UUID);
    expect(await redis.get('c:v:acme')).not.toBe(before);
  });

  it('When the version key is lost after a write (evicted, a Redis that lost data), then the next read is a MISS: no version is handed out twice', async () => {
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, quiet);
    await cache.read(
      'acme',
      'q',
      loader(() => 'before the write'),
    );
    await cache.invalidate('acme');

    await redis.sendCommand(['DEL', 'c:v:acme']);

    expect(
      await cache.read(
        'acme',
        'q',
        loader(() => 'after the write'),
      ),
    ).toEqual({ value: 'after the write', status: 'MISS' });
  });

  it("When one account is invalidated, then another account's answers stay cached", async () => {
    const cache = createQueryCache(createFakeRedis(), SETTINGS, quiet);
    await cache.read(
      'globex',
      'q',
      loader(() => 'globex'),
    );

    await cache.invalidate('acme');

    expect(
      (
        await cache.read(
          'globex',
          'q',
          loader(() => 'other'),
        )
      ).status,
    ).toBe('HIT');
  });

  it('When Redis is down at the bump, then this process reads around the cache until the bump lands', async () => {
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, quiet);
    await cache.read(
      'acme',
      'q',
      loader(() => 'old'),
    );

    redis.breakWith(new Error('ECONNREFUSED'));
    await cache.invalidate('acme');
    expect(
      await cache.read(
        'acme',
        'q',
        loader(() => 'new'),
      ),
    ).toEqual({
      value: 'new',
      status: 'BYPASS',
    });

    redis.breakWith(null);
    // The missed bump is retried first: the old answer (its version) is never served again.
    expect(
      await cache.read(
        'acme',
        'q',
        loader(() => 'new'),
      ),
    ).toEqual({
      value: 'new',
      status: 'MISS',
    });
  });
});

describe('QueryCache.read: Redis failures cost the cache, never the answer', () => {
  it('When Redis is down, then the answer comes from the load, marked BYPASS', async () => {
    const redis = createFakeRedis();
    redis.breakWith(new Error('ECONNREFUSED'));
    const cache = createQueryCache(redis, SETTINGS, quiet);

    expect(
      await cache.read(
        'acme',
        'q',
        loader(() => 'from pg'),
      ),
    ).toEqual({
      value: 'from pg',
      status: 'BYPASS',
    });
  });

  it('When the load itself fails, then the error reaches the caller and nothing is cached', async () => {
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, quiet);
    const failing = vi.fn(() => Promise.reject(new Error('pg down')));

    await expect(cache.read('acme', 'q', failing)).rejects.toThrow('pg down');

    // Found by this test (fixed in stage 07): the failed loader's lock was left behind, so the
    // next read waited lockWaitMs for an answer that never came. Now it loads at once. Only the
    // account's version is left: no answer, no lock.
    expect(redis.keys()).toEqual(['c:v:acme']);
    const next = await cache.read(
      'acme',
      'q',
      loader(() => 'later'),
    );
    expect(next).toEqual({ value: 'later', status: 'MISS' });
  });
});

/** The fake Redis with one command replaced, to put a failure or another instance at one point. */
function withCommand(redis: RedisClient, override: Partial<RedisClient>): RedisClient {
  return Object.assign(Object.create(redis) as RedisClient, override);
}

describe('QueryCache: what it sends to Redis', () => {
  it('When the answer is cached, then the read takes no lock and writes nothing', async () => {
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, quiet);
    await cache.read(
      'acme',
      'q',
      loader(() => 'answer'),
    );
    const setIfAbsent = vi.spyOn(redis, 'setIfAbsent');
    const setWithTtl = vi.spyOn(redis, 'setWithTtl');

    expect(
      (
        await cache.read(
          'acme',
          'q',
          loader(() => 'other'),
        )
      ).status,
    ).toBe('HIT');

    expect(setIfAbsent).not.toHaveBeenCalled();
    expect(setWithTtl).not.toHaveBeenCalled();
  });

  it('When another instance stored the answer between our first look and our lock, then we serve it (HIT) and release the lock', async () => {
    const redis = createFakeRedis();
    // The other instance finishes exactly as we ask for the lock: it stored, then released.
    const racing = withCommand(redis, {
      setIfAbsent: async (key, value, ms) => {
        await redis.setWithTtl(key.replace(/:lock$/, ''), '"theirs"', 300);
        return redis.setIfAbsent(key, value, ms);
      },
    });
    const load = loader(() => 'ours');

    const answer = await createQueryCache(racing, SETTINGS, quiet).read('acme', 'q', load);

    expect(answer).toEqual({ value: 'theirs', status: 'HIT' });
    expect(load).not.toHaveBeenCalled();
    const version = await redis.get('c:v:acme');
    expect(redis.keys().sort()).toEqual([`c:c:acme:${version}:q`, 'c:v:acme']);
  });

  it('When the loader stores its answer, then it releases its lock at once: the next miss of that key waits for nobody', async () => {
    const redis = createFakeRedis();

    const answer = await createQueryCache(redis, SETTINGS, quiet).read(
      'acme',
      'q',
      loader(() => 'pg'),
    );

    expect(answer.status).toBe('MISS');
    const version = await redis.get('c:v:acme');
    expect(redis.keys().sort()).toEqual([`c:c:acme:${version}:q`, 'c:v:acme']); // no …:lock
  });

  it('When Redis fails while we take the lock, then the answer comes from the load, BYPASS, and the log says why', async () => {
    const log = { error: vi.fn() };
    const failing = withCommand(createFakeRedis(), {
      setIfAbsent: () => Promise.reject(new Error('READONLY')),
    });

    const answer = await createQueryCache(failing, SETTINGS, log).read(
      'acme',
      'q',
      loader(() => 'pg'),
    );

    expect(answer).toEqual({ value: 'pg', status: 'BYPASS' });
    expect(log.error).toHaveBeenCalledWith(
      { event: 'cache.bypassed', reason: 'READONLY' },
      'Redis unavailable, reading from the database',
    );
  });

  it('When Redis fails to store the loaded answer, then the caller still gets it, BYPASS, and the log says why', async () => {
    const log = { error: vi.fn() };
    const failing = withCommand(createFakeRedis(), {
      setWithTtl: () => Promise.reject(new Error('OOM')),
    });

    const answer = await createQueryCache(failing, SETTINGS, log).read(
      'acme',
      'q',
      loader(() => 'pg'),
    );

    expect(answer).toEqual({ value: 'pg', status: 'BYPASS' });
    expect(log.error).toHaveBeenCalledWith(
      { event: 'cache.store_failed', reason: 'OOM' },
      'could not store an answer',
    );
  });

  it("When a bump was missed, then the next account's invalidation retries it first, and the log named the account", async () => {
    const log = { error: vi.fn() };
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, log);
    redis.breakWith(new Error('ECONNREFUSED'));
    await cache.invalidate('acme');
    redis.breakWith(null);

    await cache.invalidate('globex');

    expect(await redis.get('c:v:acme')).toMatch(UUID);
    expect(await redis.get('c:v:globex')).toMatch(UUID);
    expect(log.error).toHaveBeenCalledWith(
      { event: 'cache.invalidate_failed', accountId: 'acme', reason: 'ECONNREFUSED' },
      'could not invalidate the account',
    );
  });
});

describe('QueryCache.invalidate: a missed bump, retried in the background', () => {
  it('When Redis answers again, then the bump lands on its own: no read of this process needed, first 100 ms after the miss, then twice as long each time', async () => {
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, quiet);
    redis.breakWith(new Error('ECONNREFUSED'));
    await cache.invalidate('acme');

    await vi.advanceTimersByTimeAsync(BUMP_RETRY_FIRST_MS + 2 * BUMP_RETRY_FIRST_MS); // 2 tries
    redis.breakWith(null);
    await vi.advanceTimersByTimeAsync(4 * BUMP_RETRY_FIRST_MS - 1);
    expect(await redis.get('c:v:acme')).toBeNull(); // the third try is 400 ms after the second
    await vi.advanceTimersByTimeAsync(1);
    expect(await redis.get('c:v:acme')).toMatch(UUID);
  });

  it('When Redis stays down, then the tries are at most BUMP_RETRY_MAX_MS apart, and stop with a log line once the TTL has passed', async () => {
    const log = { error: vi.fn() };
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, log);
    redis.breakWith(new Error('ECONNREFUSED'));
    await cache.invalidate('acme');

    await vi.advanceTimersByTimeAsync(SETTINGS.ttlSeconds * 1000 - BUMP_RETRY_MAX_MS);
    expect(log.error).toHaveBeenCalledTimes(1); // the miss itself; retries fail quietly
    redis.breakWith(null);
    await vi.advanceTimersByTimeAsync(BUMP_RETRY_MAX_MS);
    expect(await redis.get('c:v:acme')).toMatch(UUID); // still tried, 5 s apart at most

    redis.breakWith(new Error('ECONNREFUSED'));
    await cache.invalidate('globex');
    await vi.advanceTimersByTimeAsync(SETTINGS.ttlSeconds * 1000 + BUMP_RETRY_MAX_MS);
    expect(log.error).toHaveBeenLastCalledWith(
      {
        event: 'cache.invalidate_gave_up',
        accountIds: ['globex'],
        ttlSeconds: 300,
        reason: 'ECONNREFUSED',
      },
      'gave up retrying the invalidation: the TTL has passed',
    );
    expect(vi.getTimerCount()).toBe(0); // nothing scheduled after giving up
  });
});

describe('QueryCache.invalidate: the background retry, exactly', () => {
  it('When a second bump is missed while a retry is pending, then that one retry takes both: one timer, not one per miss', async () => {
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, quiet);
    redis.breakWith(new Error('ECONNREFUSED'));

    await cache.invalidate('acme');
    await cache.invalidate('globex');

    expect(vi.getTimerCount()).toBe(1);
    redis.breakWith(null);
    await vi.advanceTimersByTimeAsync(BUMP_RETRY_FIRST_MS);
    expect(await redis.get('c:v:acme')).toMatch(UUID);
    expect(await redis.get('c:v:globex')).toMatch(UUID);
  });

  it('When a failed try comes exactly a TTL after the last miss, then it gives up there, naming every account it could not reach', async () => {
    const log = { error: vi.fn() };
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, log);
    redis.breakWith(new Error('ECONNREFUSED'));
    // Tries at 100, 300, 700, 1,500, 3,100, 6,300 ms, then every 5 s: 301,300 ms is one of them.
    // A second miss at 1,300 ms makes it exactly the TTL (300 s) after the last miss: past that,
    // nothing cached before the write can still be served, so a further try protects nothing.
    await cache.invalidate('acme');
    await vi.advanceTimersByTimeAsync(1_300);
    await cache.invalidate('globex');

    await vi.advanceTimersByTimeAsync(SETTINGS.ttlSeconds * 1000);

    expect(log.error).toHaveBeenLastCalledWith(
      {
        event: 'cache.invalidate_gave_up',
        accountIds: ['acme', 'globex'],
        ttlSeconds: 300,
        reason: 'ECONNREFUSED',
      },
      'gave up retrying the invalidation: the TTL has passed',
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it('When a retry is pending, then it does not keep the process alive (the timer is unref’d): a stopping API exits on time', async () => {
    const redis = createFakeRedis();
    const cache = createQueryCache(redis, SETTINGS, quiet);
    redis.breakWith(new Error('ECONNREFUSED'));
    const scheduled = vi.spyOn(globalThis, 'setTimeout');

    await cache.invalidate('acme');
    const retry = scheduled.mock.results.find(
      (_, i) => scheduled.mock.calls[i]?.[1] === BUMP_RETRY_FIRST_MS,
    )?.value as NodeJS.Timeout | undefined;
    scheduled.mockRestore();

    expect(retry?.hasRef()).toBe(false);
  });
});

describe('QueryCache.read: the stampede', () => {
  it('When 5 requests of one process miss the same key at once, then the database is asked once (single-flight)', async () => {
    const cache = createQueryCache(createFakeRedis(), SETTINGS, quiet);
    const gate = deferred();
    const load = loader(() => 'answer', gate.promise);

    const reads = Array.from({ length: 5 }, () => cache.read('acme', 'q', load));
    await vi.advanceTimersByTimeAsync(0);
    gate.release();

    const answers = await Promise.all(reads);
    expect(load).toHaveBeenCalledTimes(1);
    expect(answers.map((a) => a.value)).toEqual(Array(5).fill('answer'));
  });

  it('When another instance holds the lock, then this one waits for its answer (HIT) instead of loading', async () => {
    const redis = createFakeRedis();
    const [one, two] = [
      createQueryCache(redis, SETTINGS, quiet),
      createQueryCache(redis, SETTINGS, quiet),
    ];
    const gate = deferred();
    const loadOne = loader(() => 'answer', gate.promise);
    const loadTwo = loader(() => 'loaded twice');

    const first = one.read('acme', 'q', loadOne);
    await vi.advanceTimersByTimeAsync(0); // instance one holds the lock, its load runs
    const second = two.read('acme', 'q', loadTwo);
    await vi.advanceTimersByTimeAsync(100); // instance two polls: nothing stored yet
    gate.release();
    await vi.advanceTimersByTimeAsync(100); // one stores; two's next poll finds it

    expect(await first).toEqual({ value: 'answer', status: 'MISS' });
    expect(await second).toEqual({ value: 'answer', status: 'HIT' });
    expect(loadTwo).not.toHaveBeenCalled();
    expect(redis.keys()).not.toContain('c:c:acme:0:q:lock');
  });

  it('When the lock holder is stuck past lockWaitMs, then the waiter loads the answer itself', async () => {
    const redis = createFakeRedis();
    const [one, two] = [
      createQueryCache(redis, SETTINGS, quiet),
      createQueryCache(redis, SETTINGS, quiet),
    ];
    const stuck = deferred();
    void one.read(
      'acme',
      'q',
      loader(() => 'never', stuck.promise),
    );
    await vi.advanceTimersByTimeAsync(0);

    const second = two.read(
      'acme',
      'q',
      loader(() => 'own answer'),
    );
    await vi.advanceTimersByTimeAsync(SETTINGS.lockWaitMs - 40);
    const early = await Promise.race([second.then(() => 'done'), Promise.resolve('waiting')]);
    await vi.advanceTimersByTimeAsync(40);

    expect(early).toBe('waiting');
    expect(await second).toEqual({ value: 'own answer', status: 'MISS' });
    stuck.release();
  });
});
