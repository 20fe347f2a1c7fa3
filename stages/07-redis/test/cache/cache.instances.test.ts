import { describe, expect, it } from 'vitest';
import { redisReady } from '../../src/db/redis.ts';
import { buildApp, createTicket, request } from '../support/helpers.ts';
import { newTestRedisClient } from '../support/redis-helpers.ts';

describe('Two instances of the API on one Redis', () => {
  it('When one instance cached an answer, then the other gets it as a HIT, and a write on either makes both read fresh', async () => {
    const otherClient = newTestRedisClient();
    await redisReady(otherClient);
    try {
      // Two apps, two clients, one Redis and one database: two processes behind a balancer.
      const one = buildApp().app;
      const two = buildApp({ redis: otherClient }).app;
      const first = await request(one).get('/api/v1/stats');
      const fromOther = await request(two).get('/api/v1/stats');

      await createTicket(two);
      const afterWrite = await request(one).get('/api/v1/stats');

      expect(first.headers['x-cache']).toBe('MISS');
      expect(fromOther.headers['x-cache']).toBe('HIT');
      expect(afterWrite.headers['x-cache']).toBe('MISS');
      expect(afterWrite.body.data.total).toBe(1);
    } finally {
      await otherClient.close();
    }
  });
});
