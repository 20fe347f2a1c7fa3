import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeRedis } from './redis.fake.ts';

// The contract (test/contract/redis.behaviour.contract.ts) proves the fake reports the same
// PTTL as Redis; these prove its keys then expire when that PTTL says, on a fake clock.
const T0 = new Date('2026-03-01T09:00:00.000Z');

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('fake Redis: expiry on the clock', () => {
  it('When a value set for 300 s is read 1 ms before and at its expiry, then it is there, then gone', async () => {
    const redis = createFakeRedis();
    await redis.setWithTtl('answer', 'x', 300);

    vi.advanceTimersByTime(299_999);
    expect(await redis.get('answer')).toBe('x');
    expect(await redis.sendCommand(['PTTL', 'answer'])).toBe(1);

    vi.advanceTimersByTime(1);
    expect(await redis.get('answer')).toBeNull();
  });

  it('When a lock (SET NX PX 5000) expires, then the next caller gets it', async () => {
    const redis = createFakeRedis();
    await redis.setIfAbsent('lock', 'first', 5_000);

    vi.advanceTimersByTime(4_999);
    expect(await redis.setIfAbsent('lock', 'second', 5_000)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await redis.setIfAbsent('lock', 'second', 5_000)).toBe(true);
    expect(await redis.get('lock')).toBe('second');
  });

  it("When a version is set, then it never expires: a version lives as long as the account's data", async () => {
    const redis = createFakeRedis();
    await redis.set('v:acme', 'token-1');
    await redis.getOrSet('v:globex', 'token-2');

    vi.advanceTimersByTime(365 * 86_400_000);

    expect(await redis.get('v:acme')).toBe('token-1');
    expect(await redis.get('v:globex')).toBe('token-2');
  });

  it('When Redis is broken, then every command rejects, and works again once it is back', async () => {
    const redis = createFakeRedis();
    redis.breakWith(new Error('ECONNREFUSED'));

    await expect(redis.get('k')).rejects.toThrow('ECONNREFUSED');
    expect(redis.isReady).toBe(false);
    redis.breakWith(null);
    expect(await redis.get('k')).toBeNull();
  });

  it('When a command the app never sends arrives, then the fake refuses it instead of inventing an answer', async () => {
    const redis = createFakeRedis();

    await expect(redis.sendCommand(['FLUSHALL'])).rejects.toThrow(/unsupported command FLUSHALL/);
  });
});
