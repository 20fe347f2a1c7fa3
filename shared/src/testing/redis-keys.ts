import { inject } from 'vitest';
// For inject('testRedis')'s type: the run's Redis comes from that global setup (vitest.config.ts).
import type {} from './redis-global-setup.ts';
import { currentWorkerId } from './worker-database.ts';

// Which Redis a test talks to and under which keys, in every Redis stage (07–10). Each stage's
// test/support/redis-helpers.ts re-exports these beside the clients it builds with its own
// src/db/redis.ts.

const { url, prefix: runPrefix } = inject('testRedis');
const worker = currentWorkerId();
let testNumber = 0;
let prefix = `${runPrefix}w${worker}:t0:`;

/** The URL of the run's Redis (redis-global-setup.ts). */
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

/** Moves the running test's key prefix on (the stage's setup.ts, before each test). */
export function nextTestKeyPrefix(): void {
  testNumber += 1;
  prefix = `${runPrefix}w${worker}:t${testNumber}:`;
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
