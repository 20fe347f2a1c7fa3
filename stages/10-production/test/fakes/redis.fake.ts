import { createHash } from 'node:crypto';
import type { RedisClient } from '../../src/db/redis.ts';

// LESSON: an honest fake of Redis is small because the app asks little of it: the commands of
// RedisClient, plus the raw ones rate-limit-redis sends (SCRIPT LOAD, EVALSHA, DECR, DEL) and
// GET and PTTL, which tests send to read a counter. Expiry follows `now()` (Date.now,
// so vi.useFakeTimers() moves it): a TTL test advances the clock, it never sleeps. Anything else
// is refused loudly, so a new command cannot pass a unit test on behaviour the fake made up.
// test/contract/redis.contract.test.ts runs the same behaviour suite on this and on real Redis.

export interface FakeRedis extends RedisClient {
  /** Every command from now on fails, as with Redis down (`null`: Redis is back). */
  breakWith(error: Error | null): void;
  /** The keys that exist now, for assertions. */
  keys(): string[];
}

interface Entry {
  value: string;
  /** Epoch ms; Infinity without a TTL. */
  expiresAt: number;
}

export function createFakeRedis(options: { now?: () => number } = {}): FakeRedis {
  const now = options.now ?? (() => Date.now());
  const data = new Map<string, Entry>();
  const scripts = new Map<string, string>();
  let failure: Error | null = null;
  let closed = false;

  function live(key: string): Entry | undefined {
    const entry = data.get(key);
    if (entry && entry.expiresAt <= now()) data.delete(key);
    return data.get(key);
  }
  // Like every real command, an answer arrives later: never in the caller's own tick.
  async function command<T>(run: () => T): Promise<T> {
    await Promise.resolve();
    if (closed) throw new Error('The client is closed');
    if (failure) throw failure;
    return run();
  }
  function incrBy(key: string, by: number): number {
    const entry = live(key);
    const stored = entry?.value ?? '0';
    if (!/^-?\d{1,15}$/.test(stored))
      throw new Error('ERR value is not an integer or out of range');
    const current = Number(stored);
    // INCR keeps the key's TTL, as Redis does.
    data.set(key, { value: String(current + by), expiresAt: entry?.expiresAt ?? Infinity });
    return current + by;
  }
  function pttl(key: string): number {
    const entry = live(key);
    if (entry === undefined) return -2;
    return entry.expiresAt === Infinity ? -1 : entry.expiresAt - now();
  }
  function set(key: string, value: string, ttlMs: number): void {
    data.set(key, { value, expiresAt: now() + ttlMs });
  }

  /** rate-limit-redis's two Lua scripts, told apart by what they do (see its source). */
  function evalScript(script: string, key: string, windowMs: number): unknown[] {
    if (script.includes('"INCR"')) {
      const timeToExpire = pttl(key);
      if (timeToExpire <= 0) {
        set(key, '1', windowMs);
        return [1, windowMs];
      }
      return [incrBy(key, 1), timeToExpire];
    }
    if (script.includes('"GET"')) return [live(key)?.value ?? null, pttl(key)];
    throw new Error(`fake Redis: a script it does not know (${script.slice(0, 40)}…)`);
  }

  function raw(args: string[]): unknown {
    const [name = '', ...rest] = args;
    switch (name.toUpperCase()) {
      case 'SCRIPT': {
        const [sub, script = ''] = rest;
        if (sub?.toUpperCase() !== 'LOAD') break;
        const sha = createHash('sha1').update(script).digest('hex');
        scripts.set(sha, script);
        return sha;
      }
      case 'EVALSHA': {
        const [sha = '', , key = '', windowMs = '0'] = rest;
        const script = scripts.get(sha);
        if (script === undefined) throw new Error('NOSCRIPT No matching script.');
        return evalScript(script, key, Number(windowMs));
      }
      case 'GET':
        return live(rest[0] ?? '')?.value ?? null;
      case 'PTTL':
        return pttl(rest[0] ?? '');
      case 'DECR':
        return incrBy(rest[0] ?? '', -1);
      case 'DEL':
        return rest.filter((key) => live(key) !== undefined && data.delete(key)).length;
    }
    throw new Error(`fake Redis: unsupported command ${args.join(' ')}`);
  }

  return {
    get isReady() {
      return !closed && failure === null;
    },
    get: (key) => command(() => live(key)?.value ?? null),
    setWithTtl: (key, value, seconds) => command(() => set(key, value, seconds * 1000)),
    setIfAbsent: (key, value, ms) =>
      command(() => {
        if (live(key) !== undefined) return false;
        set(key, value, ms);
        return true;
      }),
    set: (key, value) => command(() => set(key, value, Infinity)),
    getOrSet: (key, value) =>
      command(() => {
        const before = live(key)?.value;
        if (before !== undefined) return before;
        set(key, value, Infinity);
        return value;
      }),
    deleteIfEquals: (key, value) =>
      command(() => {
        if (live(key)?.value === value) data.delete(key);
      }),
    sendCommand: (args) => command(() => raw(args)),
    async close() {
      closed = true;
    },
    breakWith(error) {
      failure = error;
    },
    keys: () => [...data.keys()].filter((key) => live(key) !== undefined),
  };
}
