import { randomUUID } from 'node:crypto';
import type { User } from '@backend-path/shared/domain/users';
import { ownRedisServer } from '@backend-path/shared/testing/redis-process';
import { versionKey } from '../../src/cache/cache-keys.ts';
import type { DbPool } from '../../src/db/pool.ts';
import { createRedisClient, redisReady } from '../../src/db/redis.ts';
import { percentile, startLabApi } from './cache-lab.ts';
import { round } from './report.ts';

const ROUNDS = 20;

/**
 * GET /stats with Redis up (every request a MISS: the baseline a dead cache can at best match),
 * stopped (connection refused) and hung (SIGSTOP: connected, silent), on a redis-server of our
 * own (shared's harness, as the Redis-down tests use) and the client settings server.ts uses
 * (100 ms per command).
 */
export async function measureOutage(pool: DbPool, user: User) {
  const own = await ownRedisServer();
  await own.start();
  const redis = createRedisClient({
    url: own.url,
    connectTimeoutMs: 1_000,
    commandTimeoutMs: 100,
    onError: () => {},
  });
  const api = await startLabApi(pool, redis, 'bp:lab:outage:', user, { quiet: true });
  const rows = [];
  try {
    await redisReady(redis);
    const states = {
      'Redis up (each request a MISS)': async () => {},
      'Redis stopped': async () => {
        await own.stop();
        while (redis.isReady) await new Promise((resolve) => setTimeout(resolve, 10));
      },
      'Redis hung (SIGSTOP)': async () => {
        await own.start();
        await redisReady(redis, 10_000);
        own.freeze();
      },
    };
    let baseline = 0;
    for (const [state, enter] of Object.entries(states)) {
      const up = baseline === 0;
      await enter();
      const times: number[] = [];
      const seen = new Set<string | null>();
      for (let i = 0; i < ROUNDS + 2; i++) {
        if (up) await redis.set(versionKey(api.config.cache.prefix, user.accountId), randomUUID());
        const res = await api.get('/stats');
        if (i < 2) continue;
        times.push(res.ms);
        seen.add(res.cache);
      }
      baseline ||= percentile(times, 50);
      rows.push({
        'GET /stats while': state,
        'X-Cache': [...seen].join(', '),
        'p50 ms': round(percentile(times, 50)),
        'p99 ms': round(percentile(times, 99)),
        'p50 added ms': round(percentile(times, 50) - baseline),
      });
    }
  } finally {
    own.thaw();
    await api.close();
    await redis.close();
    await own.close();
  }
  return rows;
}
