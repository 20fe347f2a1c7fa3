// For inject('testRedis')'s type: the run's Redis comes from that global setup (vitest.config.ts).
import type {} from '@backend-path/shared/testing/redis-global-setup';
import { currentWorkerId } from '@backend-path/shared/testing/worker-database';
import { afterAll, inject } from 'vitest';
import { createRedisClient, type RedisClient, redisReady } from '../../src/db/redis.ts';

const { url, prefix: runPrefix } = inject('testRedis');
const worker = currentWorkerId();
let testNumber = 0;
let prefix = `${runPrefix}w${worker}:t0:`;

/** The URL of the run's Redis (shared/src/testing/redis-global-setup.ts). */
export function testRedisUrl(): string {
  return url;
}

/**
 * The key prefix of the running test: `<run>:w<worker>:t<n>:`. A fresh one per test (setup.ts),
 * so no test sees another's cached answers or rate-limit counters, in this worker or another,
 * and nothing needs deleting between tests (the run deletes its keys at the end).
 */
export function testKeyPrefix(): string {
  return prefix;
}

let spawnedServers = 0;

/**
 * The Redis settings for a server a test spawns (src/server.ts in a process of its own): the run's
 * Redis, a key prefix of its own, and a roomy command deadline. Its own prefix: a server is
 * started in beforeAll, when the prefix is still the previous test's, whose cached list of the
 * same fixture account it would otherwise read (seen: a stale empty list). The deadline: on a busy
 * machine (another suite, Chromium) a reply can miss the real 100 ms, and the login limit then
 * refuses logins for a second (seen: 503s in requests.http); that is redis-down.test.ts's subject.
 */
export function spawnedServerRedisEnv(): Record<string, string> {
  spawnedServers += 1;
  return {
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: `${testKeyPrefix()}server${spawnedServers}:`,
    REDIS_COMMAND_TIMEOUT_MS: '1000',
  };
}

export function nextTestKeyPrefix(): void {
  testNumber += 1;
  prefix = `${runPrefix}w${worker}:t${testNumber}:`;
}

/** A client as server.ts builds it, with a roomy command timeout for a busy test machine. */
export function newTestRedisClient(redisUrl = url, commandTimeoutMs = 2_000): RedisClient {
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
export async function useRedisClient(redisUrl = url): Promise<RedisClient> {
  const client = newTestRedisClient(redisUrl);
  afterAll(() => client.close());
  await redisReady(client);
  return client;
}
