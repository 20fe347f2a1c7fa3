import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('loadConfig: Redis, cache and rate limits', () => {
  it('When nothing is set, then the docker-compose Redis, the bp: prefix, a 100 ms command deadline, no proxy trusted', () => {
    const config = loadConfig({});

    expect(config.redis).toEqual({
      url: 'redis://localhost:6379',
      connectTimeoutMs: 1000,
      commandTimeoutMs: 100,
    });
    expect(config.cache).toMatchObject({ prefix: 'bp:cache:', ttlSeconds: 300 });
    expect(config.rateLimit).toMatchObject({
      keyPrefix: 'bp:',
      windowMs: 60_000,
      limit: 300,
      loginWindowMs: 900_000,
      loginLimitPerIp: 50,
      loginLimitPerEmail: 10,
    });
    expect(config.trustProxyHops).toBe(0);
  });

  it('When REDIS_KEY_PREFIX is set, then the cache and the rate limits both keep under it', () => {
    const config = loadConfig({ REDIS_KEY_PREFIX: 'app2:' });

    expect(config.cache.prefix).toBe('app2:cache:');
    expect(config.rateLimit.keyPrefix).toBe('app2:');
  });

  it('When the limits and the hop count are set, then they are used', () => {
    const config = loadConfig({
      RATE_LIMIT: '5',
      LOGIN_LIMIT_PER_EMAIL: '3',
      TRUST_PROXY_HOPS: '2',
      CACHE_TTL_SECONDS: '30',
    });

    expect(config.rateLimit.limit).toBe(5);
    expect(config.rateLimit.loginLimitPerEmail).toBe(3);
    expect(config.trustProxyHops).toBe(2);
    expect(config.cache.ttlSeconds).toBe(30);
  });

  it.each(['true', '-1', '1.5', '11'])(
    'When TRUST_PROXY_HOPS is %s, then loading fails naming it (a number of proxies, never "all")',
    (hops) => {
      expect(() => loadConfig({ TRUST_PROXY_HOPS: hops })).toThrow(/TRUST_PROXY_HOPS/);
    },
  );

  it.each(['0', 'abc'])('When RATE_LIMIT is %s, then loading fails naming it', (limit) => {
    expect(() => loadConfig({ RATE_LIMIT: limit })).toThrow(/RATE_LIMIT/);
  });
});
