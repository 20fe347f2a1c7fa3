import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../db/redis.ts';
import { cacheKey, lockKey, versionKey } from './cache-keys.ts';

/** What X-Cache says: from Redis, from PostgreSQL (and now cached), or Redis skipped. */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS';

export interface Cached<T> {
  value: T;
  status: CacheStatus;
}

export interface CacheSettings {
  /** Every key starts with it: one Redis, many apps (or test workers), no collisions. */
  prefix: string;
  ttlSeconds: number;
  /** How long the one loader holds the lock; then another instance may load. */
  lockMs: number;
  /** How long the others wait for its answer before they ask PostgreSQL themselves. */
  lockWaitMs: number;
}

export interface QueryCache {
  /** Cache-aside: the cached answer for (account, query), else `load()`'s, stored for next time. */
  read<T>(accountId: string, query: string, load: () => Promise<T>): Promise<Cached<T>>;
  /** After a write: every answer cached for this account is now unreachable. */
  invalidate(accountId: string): Promise<void>;
}

// The fields first (`event` names the line: a test or a log search finds it by that name), then
// the message. console prints both; pino (stage 10) takes the same call and writes them as JSON.
type Log = { error(fields: Record<string, unknown>, message: string): void };
const POLL_MS = 20;
/** A missed bump is retried in the background after this, then twice as long each time… */
export const BUMP_RETRY_FIRST_MS = 100;
/** …but never more than this apart. */
export const BUMP_RETRY_MAX_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createQueryCache(
  redis: RedisClient,
  settings: CacheSettings,
  log: Log,
): QueryCache {
  const { prefix, ttlSeconds, lockMs, lockWaitMs } = settings;
  // Requests of THIS process waiting for the same key share one promise (single-flight).
  const inFlight = new Map<string, Promise<Cached<unknown>>>();
  // Accounts whose invalidation did not reach Redis: retried before this process next uses the
  // cache (read() bypasses it until they succeed).
  const unbumped = new Set<string>();

  // LESSON: a version is a random token, never a counter. A counter (INCR) starts again at 1 in a
  // Redis that lost its data (a restart without persistence, a failover, an evicted key), and the
  // versions it hands out again may be ones an answer was stored under before, stale by now: a
  // read still in flight across the restart stores its answer under the version it read. A
  // random token is never handed out twice.
  async function bump(accountId: string): Promise<void> {
    await redis.set(versionKey(prefix, accountId), randomUUID());
    unbumped.delete(accountId);
  }

  async function retryBumps(): Promise<void> {
    for (const accountId of unbumped) await bump(accountId);
  }

  // LESSON: a missed bump cannot wait for this process's next request. Other instances read the
  // old version and serve what was cached before the write until the bump lands; if this
  // instance gets no further request (the balancer sent it one write), that is the whole TTL.
  // So it is retried in the background, sooner first, then less often, for as long as an answer
  // from before the write can still be cached somewhere (the TTL); past that, retrying would
  // protect nothing, and the log says the bump never landed.
  let retrying: NodeJS.Timeout | undefined;
  let lastMissAt = 0;
  function retryInBackground(delayMs: number): void {
    if (retrying) return;
    retrying = setTimeout(async () => {
      try {
        await retryBumps();
        retrying = undefined;
      } catch (error: unknown) {
        retrying = undefined;
        if (Date.now() - lastMissAt >= ttlSeconds * 1000) {
          log.error(
            {
              event: 'cache.invalidate_gave_up',
              accountIds: [...unbumped],
              ttlSeconds,
              reason: describe(error),
            },
            'gave up retrying the invalidation: the TTL has passed',
          );
          return;
        }
        retryInBackground(Math.min(delayMs * 2, BUMP_RETRY_MAX_MS));
      }
    }, delayMs);
    retrying.unref(); // a pending retry never keeps a stopping process alive
  }

  // LESSON: the stampede. When a key is missing, every request that asks for it at that moment
  // would run the same expensive query. Here only one does: requests of this process share one
  // fill() (single-flight, in read()), and across instances the one holding a short lock in
  // Redis (SET NX PX) loads while the others poll for its answer — for lockWaitMs at most, then
  // they query themselves: a stuck loader may slow a request down, never block it.
  // A Redis failure on the way costs the cache, never the answer.
  async function fill<T>(key: string, load: () => Promise<T>): Promise<Cached<T>> {
    const token = randomUUID();
    let locked: boolean;
    try {
      locked = await redis.setIfAbsent(lockKey(key), token, lockMs);
      // The lock is free, but its last holder may have stored the answer since our first look
      // (it stores, then releases): look once more before loading it again.
      const stored = locked ? await redis.get(key) : null;
      if (stored !== null) {
        await redis.deleteIfEquals(lockKey(key), token);
        return { value: JSON.parse(stored) as T, status: 'HIT' };
      }
      // Another instance is loading this key: wait a little for its answer, not forever.
      for (let waited = 0; !locked && waited < lockWaitMs; waited += POLL_MS) {
        await sleep(POLL_MS);
        const cached = await redis.get(key);
        if (cached !== null) return { value: JSON.parse(cached) as T, status: 'HIT' };
      }
    } catch (error: unknown) {
      return bypass(error, load);
    }
    let value: T;
    try {
      value = await load();
    } catch (error: unknown) {
      // A failed load leaves no lock behind: the next reader would wait lockWaitMs for nothing.
      if (locked) await redis.deleteIfEquals(lockKey(key), token).catch(() => {});
      throw error;
    }
    try {
      await redis.setWithTtl(key, JSON.stringify(value), ttlSeconds);
      // Only our own lock: after lockMs it may already be another loader's.
      if (locked) await redis.deleteIfEquals(lockKey(key), token);
    } catch (error: unknown) {
      log.error(
        { event: 'cache.store_failed', reason: describe(error) },
        'could not store an answer',
      );
      return { value, status: 'BYPASS' };
    }
    return { value, status: 'MISS' };
  }

  async function bypass<T>(error: unknown, load: () => Promise<T>): Promise<Cached<T>> {
    // Redis is down or slow: PostgreSQL still has the answer. Slower, never wrong.
    log.error(
      { event: 'cache.bypassed', reason: describe(error) },
      'Redis unavailable, reading from the database',
    );
    return { value: await load(), status: 'BYPASS' };
  }

  return {
    async read<T>(accountId: string, query: string, load: () => Promise<T>) {
      let key: string;
      try {
        if (unbumped.size > 0) await retryBumps();
        // LESSON: read the version BEFORE the query and store under THAT version. A write that
        // lands in between bumps the version: our possibly stale answer goes under the old
        // one, which nobody reads any more. Read after the query, it could be stored as new.
        // No version yet (a new account, or a Redis that lost it): a fresh token, stored only if
        // still none (NX), so readers that arrive together agree on one.
        const version = await redis.getOrSet(versionKey(prefix, accountId), randomUUID());
        key = cacheKey(prefix, accountId, version, query);
        const cached = await redis.get(key);
        if (cached !== null) return { value: JSON.parse(cached) as T, status: 'HIT' };
      } catch (error: unknown) {
        return bypass(error, load);
      }
      let shared = inFlight.get(key) as Promise<Cached<T>> | undefined;
      if (!shared) {
        shared = fill(key, load);
        inFlight.set(key, shared);
        shared.finally(() => inFlight.delete(key)).catch(() => {});
      }
      return shared;
    },

    async invalidate(accountId) {
      try {
        await bump(accountId);
        if (unbumped.size > 0) await retryBumps();
      } catch (error: unknown) {
        // The write itself succeeded; until the bump reaches Redis, this process reads around
        // the cache and retries it in the background, and the TTL bounds what other instances
        // may still serve if it never lands (README).
        unbumped.add(accountId);
        log.error(
          { event: 'cache.invalidate_failed', accountId, reason: describe(error) },
          'could not invalidate the account',
        );
        lastMissAt = Date.now();
        retryInBackground(BUMP_RETRY_FIRST_MS);
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
