import { describe, expect, it } from 'vitest';
import { createQueryCache } from '../../src/cache/query-cache.ts';
import type { RedisSubject } from './redis.behaviour.contract.ts';

/** A step the test releases by hand: the interleaving is the test's, not the scheduler's. */
function step() {
  let release!: () => void;
  const reached = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { reached, release };
}

// LESSON: the cache-fill race, made deterministic. Reader A misses, reads the database, and
// before A stores that answer a writer changes the row and bumps the version. Left to the
// scheduler this happens once in thousands of runs; here the test holds A between its query
// and its store, and lets the write through exactly then. The cache passes because it reads
// the version BEFORE the query (src/cache/query-cache.ts): A's stale answer lands under the
// old version, which nobody reads any more. Read the version after the query instead, and
// the last assertion fails: B is served A's stale answer for the whole TTL.
export function describeCacheFillRace(name: string, connect: () => Promise<RedisSubject>) {
  describe(`the cache-fill race, one interleaving forced (${name})`, () => {
    it("When a write lands between a reader's query and its store, then the next reader gets the new answer", async () => {
      const subject = await connect();
      const settings = {
        prefix: subject.key('cache:'),
        ttlSeconds: 300,
        lockMs: 2_000,
        lockWaitMs: 1_000,
      };
      const cache = createQueryCache(subject.redis, settings, { error: () => {} });
      let row = 'before';
      const queried = step();
      const mayStore = step();

      // A: misses, queries (sees 'before'), then waits before its answer is stored.
      const readerA = cache.read('acme', 'tickets', async () => {
        const seen = row;
        queried.release();
        await mayStore.reached;
        return seen;
      });
      await queried.reached;
      const versionA = await subject.redis.get(`${settings.prefix}v:acme`);
      // The writer, exactly now: the row changes, the version is bumped.
      row = 'after';
      await cache.invalidate('acme');
      mayStore.release();
      const a = await readerA;

      const b = await cache.read('acme', 'tickets', async () => row);

      expect(a).toEqual({ value: 'before', status: 'MISS' });
      expect(b).toEqual({ value: 'after', status: 'MISS' });
      // A's answer was stored, under the version it read: unreachable, and gone with its TTL.
      expect(await subject.redis.get(`${settings.prefix}c:acme:${versionA}:tickets`)).toBe(
        '"before"',
      );
    });
  });
}
