import { describe, expect, it } from 'vitest';
import { redisReady } from '../../src/db/redis.ts';
import { createPgStatsRepository } from '../../src/stats/stats.repository.pg.ts';
import { insertPastTicket, testPool } from '../support/db-helpers.ts';
import { buildApp, request } from '../support/helpers.ts';
import { newTestRedisClient } from '../support/redis-helpers.ts';
import { countTicketReads } from './cache-helpers.ts';

const CONCURRENT = 30;
/** Far longer than 30 requests take to arrive on localhost; far shorter than the lock's wait. */
const LOAD_MS = 300;

// LESSON (tested): a stampede is N requests missing the same key at once, each sending the
// same expensive query. Single-flight joins them inside one process; a short lock in Redis
// (SET NX PX) makes other instances wait for the first one's answer instead of querying too.
describe('Cache stampede', () => {
  it(`When ${CONCURRENT} requests miss the same key at once, then PostgreSQL gets one dashboard query`, async () => {
    const { app } = buildApp();
    await insertPastTicket(1);
    const reads = countTicketReads();

    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, () => request(app).get('/api/v1/stats')),
    );

    expect(responses.map((res) => res.status)).toEqual(Array(CONCURRENT).fill(200));
    expect(new Set(responses.map((res) => res.body.data.total))).toEqual(new Set([1]));
    expect(reads.count).toBe(1);
  });

  it(`When ${CONCURRENT} requests miss at once on two instances, then still one query: the other instance waits for the lock holder's answer`, async () => {
    const second = newTestRedisClient();
    await redisReady(second);
    // Each load takes LOAD_MS longer than PostgreSQL needs, so that every request of both
    // instances has arrived and missed before the first answer is stored. Left to chance, the
    // second instance sometimes came late enough to find a HIT, and the test passed with the
    // lock removed (pnpm exercise 7 no-stampede-lock, on a fresh clone).
    const real = createPgStatsRepository(testPool());
    const stats: typeof real = {
      async ticketStats(scope) {
        const answer = await real.ticketStats(scope);
        await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
        return answer;
      },
    };
    try {
      const one = buildApp({ stats }).app;
      const two = buildApp({ redis: second, stats }).app;
      await insertPastTicket(1);
      const reads = countTicketReads();

      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          request(i % 2 === 0 ? one : two).get('/api/v1/stats'),
        ),
      );

      expect(responses.map((res) => res.status)).toEqual(Array(CONCURRENT).fill(200));
      expect(reads.count).toBe(1);
      // Whichever instance took the lock loaded (its requests joined one flight: MISS); the
      // other waited and got the answer from Redis: its requests say HIT.
      const answers = (side: number) =>
        responses.filter((_, i) => i % 2 === side).map((r) => r.headers['x-cache']);
      const [fromOne, fromTwo] = [answers(0), answers(1)];
      const waiter = fromOne.includes('MISS') ? fromTwo : fromOne;
      expect(waiter).toEqual(Array(CONCURRENT / 2).fill('HIT'));
    } finally {
      await second.close();
    }
  });
});
