import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { User } from '@backend-path/shared/domain/users';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import { createApp } from '../../src/app.ts';
import { createPgCredentialsRepository } from '../../src/auth/credentials.repository.pg.ts';
import { createPasswordHasher } from '../../src/auth/passwords.ts';
import { createTokenService } from '../../src/auth/tokens.ts';
import { createPgCommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { loadConfig } from '../../src/config.ts';
import { postgresCheck } from '../../src/db/health.ts';
import type { DbPool } from '../../src/db/pool.ts';
import type { RedisClient } from '../../src/db/redis.ts';
import { createPgIdempotencyStore } from '../../src/idempotency/idempotency.repository.pg.ts';
import { createLifecycle } from '../../src/lifecycle/lifecycle.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { createPgStatsRepository } from '../../src/stats/stats.repository.pg.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { createPgUserRepository } from '../../src/users/users.repository.pg.ts';

/** The API as server.ts wires it, on the lab database, listening on a free port. */
export async function startLabApi(
  pool: DbPool,
  redis: RedisClient,
  prefix: string,
  user: User,
  options: { quiet?: boolean } = {},
) {
  // No rate limit worth the name: the lab measures the cache, not the limiter.
  const config = loadConfig({ REDIS_KEY_PREFIX: prefix, RATE_LIMIT: '100000000' });
  const tokens = createTokenService(randomBytes(32).toString('base64url'), config.token);
  const app = createApp({
    tickets: createPgTicketRepository(pool),
    comments: createPgCommentRepository(pool),
    users: createPgUserRepository(pool),
    credentials: createPgCredentialsRepository(pool),
    stats: createPgStatsRepository(pool),
    redis,
    passwords: createPasswordHasher(4),
    tokens,
    // Quiet for the outage: every request would log that Redis is down, as it should.
    logger: createLogger({ level: options.quiet ? 'silent' : 'error', pretty: false }),
    config,
    eventLoopDelay: { count: 0, percentile: () => 0, max: 0, reset: () => {} },
    lifecycle: createLifecycle(),
    dependencies: [postgresCheck(pool)],
    idempotency: createPgIdempotencyStore(pool),
    metrics: createMetrics(),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const headers = { Authorization: `Bearer ${tokens.issue(user, 0).accessToken}` };
  return {
    config,
    /** One GET: how long it took, what X-Cache said, the statements it sent. */
    async get(path: string) {
      const counter = countQueries(pg.Client);
      try {
        const started = performance.now();
        const res = await fetch(`${base}${path}`, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
        const ms = performance.now() - started;
        const ticketReads = counter.statements.filter((sql) => /FROM tickets/.test(sql)).length;
        return { ms, cache: res.headers.get('x-cache'), statements: counter.count, ticketReads };
      } finally {
        counter.stop();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What most first caches look like: GET, and on a miss query and SET. Correct for one request at
 * a time; under a burst every request that misses queries PostgreSQL. Only in the lab.
 */
export async function naiveCacheAside<T>(redis: RedisClient, key: string, load: () => Promise<T>) {
  const cached = await redis.get(key);
  if (cached !== null) return JSON.parse(cached) as T;
  const value = await load();
  await redis.setWithTtl(key, JSON.stringify(value), 60);
  return value;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** SCAN + UNLINK of every key under `prefix`: what the lab wrote, nothing else. */
export async function deleteKeys(redis: RedisClient, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const reply = await redis.sendCommand(['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000']);
    const [next, keys] = reply as [string, string[]];
    if (keys.length > 0) await redis.sendCommand(['UNLINK', ...keys]);
    cursor = next;
  } while (cursor !== '0');
}
