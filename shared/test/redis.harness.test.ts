import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectTestRedis, type TestRedis } from '../src/testing/redis.ts';
import { skipWithoutRedis } from './services.ts';

const skip = await skipWithoutRedis();

describe.skipIf(skip)('connectTestRedis with Redis running', () => {
  let mine: TestRedis;
  let other: TestRedis;

  beforeAll(async () => {
    mine = await connectTestRedis({ stage: 'shared-harness' });
    other = await connectTestRedis({ stage: 'shared-other' });
  });

  beforeEach(async () => {
    await mine.clear();
    await other.clear();
    await mine.client.del('bp:shared-harness-unprefixed');
  });

  afterAll(async () => {
    await mine?.clear();
    await other?.clear();
    await mine?.client.del('bp:shared-harness-unprefixed');
    await Promise.all([mine?.close(), other?.close()]);
  });

  it('When a stage connects, then its prefix is bp:test:<stage>:', () => {
    expect(mine.prefix).toBe('bp:test:shared-harness:');
    expect(other.prefix).toBe('bp:test:shared-other:');
  });

  it('When clear() runs, then every key with the prefix is gone, across many SCAN pages', async () => {
    const keys = Array.from({ length: 1_200 }, (_, i) => `${mine.prefix}k${i}`);
    await mine.client.mSet(keys.map((key) => [key, '1'] as [string, string]));

    await mine.clear();

    expect(await mine.client.exists(keys)).toBe(0);
  });

  it("When clear() runs, then other stages' keys and unprefixed keys stay", async () => {
    await mine.client.set(`${mine.prefix}session`, 'a');
    await other.client.set(`${other.prefix}session`, 'b');
    await mine.client.set('bp:shared-harness-unprefixed', 'c');

    await mine.clear();

    expect(await mine.client.get(`${mine.prefix}session`)).toBeNull();
    expect(await other.client.get(`${other.prefix}session`)).toBe('b');
    expect(await mine.client.get('bp:shared-harness-unprefixed')).toBe('c');
  });
});

describe('connectTestRedis without Redis', () => {
  // The test timeouts are the point: the harness must give up by itself, quickly, never hang.
  it('When REDIS_URL points at a dead port, then it rejects saying how to start Redis', async () => {
    const attempt = connectTestRedis({
      stage: 'shared-harness',
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });

    await expect(attempt).rejects.toThrow(/Redis is not answering at redis:\/\/127\.0\.0\.1:1/);
    await expect(attempt).rejects.toThrow(/docker compose up -d redis/);
    await expect(attempt).rejects.toThrow(/redis-server --daemonize yes/);
    await expect(attempt).rejects.toThrow(/REDIS_URL/);
  }, 3_000);

  it('When something that is not Redis holds the port and never answers, then it still rejects', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const attempt = connectTestRedis({
        stage: 'shared-harness',
        env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      });

      await expect(attempt).rejects.toThrow(/Redis is not answering/);
    } finally {
      silent.close();
    }
    // The harness gives up after ~2 s (node-redis alone would wait forever); the margin is for a
    // busy machine.
  }, 8_000);
});
