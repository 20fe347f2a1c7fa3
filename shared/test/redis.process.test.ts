import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestRedis } from '../src/testing/redis.ts';
import {
  type OwnRedis,
  ownRedisServer,
  redisAnswers,
  redisInstallCommand,
} from '../src/testing/redis-process.ts';
import { planRedis } from '../src/testing/redis-server.ts';

const plan = await planRedis({
  env: { PATH: process.env.PATH },
  defaultUrl: 'redis://127.0.0.1:1',
});
// .ci/run installs redis-server (scripts/services.sh); a Redis in a container brings none.
const skip = plan.kind !== 'start';
if (skip) process.stderr.write('[shared tests] skipping: no redis-server on PATH to start\n');

describe.skipIf(skip)('ownRedisServer: a redis-server a test can stop, freeze and restart', () => {
  let redis: OwnRedis;

  beforeAll(async () => {
    redis = await ownRedisServer();
    await redis.start();
  });

  afterAll(() => redis?.close());

  it('When stopped and started again, then it answers at the same URL, empty', async () => {
    const before = await connectTestRedis({ stage: 'shared-own', url: redis.url });
    await before.client.set(`${before.prefix}k`, 'v');
    await before.close();

    await redis.stop();
    const answeredStopped = await redisAnswers(redis.url, 200);
    await redis.start();

    const after = await connectTestRedis({ stage: 'shared-own', url: redis.url });
    const value = await after.client.get(`${after.prefix}k`);
    await after.close();
    expect(answeredStopped).toBe(false);
    expect(value).toBeNull();
  });

  it('When frozen, then it answers nothing; thawed, then it answers again', async () => {
    redis.freeze();
    const answeredFrozen = await redisAnswers(redis.url, 300);
    redis.thaw();

    expect(answeredFrozen).toBe(false);
    expect(await redisAnswers(redis.url)).toBe(true);
  });
});

describe('ownRedisServer without a redis-server', () => {
  it('When the binary does not exist, then start() rejects with the command that installs Redis', async () => {
    const redis = await ownRedisServer('/nonexistent/redis-server');
    try {
      const attempt = redis.start();

      await expect(attempt).rejects.toThrow(
        /\/nonexistent\/redis-server did not start on port \d+ \(spawn .*ENOENT\)/,
      );
      await expect(attempt).rejects.toThrow(redisInstallCommand());
    } finally {
      await redis.close();
    }
  });
});
