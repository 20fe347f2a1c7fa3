import { testRedisUrl } from '@backend-path/shared/testing/redis-keys';
import { afterAll } from 'vitest';
import { createRedisClient, type RedisClient, redisReady } from '../../src/db/redis.ts';

// The run's Redis and the keys of the running test are the same in every Redis stage
// (shared/src/testing/redis-keys.ts); the clients below are built as this stage's server.ts builds
// them.
export {
  nextTestKeyPrefix,
  spawnedServerRedisEnv,
  testKeyPrefix,
  testRedisUrl,
} from '@backend-path/shared/testing/redis-keys';

/** A client as server.ts builds it, with a roomy command timeout for a busy test machine. */
export function newTestRedisClient(
  redisUrl = testRedisUrl(),
  commandTimeoutMs = 2_000,
): RedisClient {
  return createRedisClient({
    url: redisUrl,
    connectTimeoutMs: 1_000,
    commandTimeoutMs,
    onError: () => {},
  });
}

let shared: RedisClient | undefined;

/** The client the HTTP tests' apps share (one per test file, like the pool; setup.ts closes it). */
export function testRedis(): RedisClient {
  shared ??= newTestRedisClient();
  return shared;
}

export async function closeTestRedis(): Promise<void> {
  await shared?.close();
  shared = undefined;
}

/** A client of the test's own, ready to use and closed after the file. */
export async function useRedisClient(redisUrl = testRedisUrl()): Promise<RedisClient> {
  const client = newTestRedisClient(redisUrl);
  afterAll(() => client.close());
  await redisReady(client);
  return client;
}
