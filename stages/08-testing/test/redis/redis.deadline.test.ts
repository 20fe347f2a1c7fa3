import { describe, expect, it, onTestFinished } from 'vitest';
import { redisReady } from '../../src/db/redis.ts';
import { newTestRedisClient, testKeyPrefix, testRedisUrl } from '../support/redis-helpers.ts';

// The command deadline (src/db/redis.ts, withDeadline) bounds how long a request waits for Redis.
// It must measure Redis: a process busy for longer than the deadline (building the app at boot,
// a big JSON.stringify) must not turn an answer that is already there into a timeout.

/** Holds the event loop, as synchronous work does. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {}
}

describe('The Redis command deadline', () => {
  it('When the process is busy past the deadline right after it sends a command, then the command still gets Redis’s answer', async () => {
    // REDIS_COMMAND_TIMEOUT_MS's default, 100 ms; the process is busy for 300 ms.
    const client = newTestRedisClient(testRedisUrl(), 100);
    onTestFinished(() => client.close());
    await redisReady(client);
    const key = `${testKeyPrefix()}deadline`;
    await client.set(key, 'stored');

    // Before the command is even written (boot: the app is built right after the call)…
    const beforeSent = client.get(key);
    busyFor(300);
    // …and after it is written, while the answer waits in the socket.
    await new Promise((resolve) => setImmediate(resolve));
    const afterSent = client.get(key);
    await new Promise((resolve) => setImmediate(resolve));
    busyFor(300);

    expect(await beforeSent).toBe('stored');
    expect(await afterSent).toBe('stored');
    // And nothing was skipped afterwards: no timeout was recorded.
    expect(await client.get(key)).toBe('stored');
  });
});
