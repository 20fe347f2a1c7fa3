import type { DependencyCheck } from '../health/readiness.ts';
import type { DbPool } from './pool.ts';
import type { RedisClient } from './redis.ts';

/**
 * PostgreSQL as a readiness dependency: one `SELECT 1` through `pool`. server.ts passes a pool of
 * one connection kept for readiness, so the answer is "PostgreSQL is reachable", not "a request's
 * connection is free": requests that fill their own pool do not make every replica unready.
 */
export function postgresCheck(pool: DbPool): DependencyCheck {
  return { name: 'postgres', required: true, check: () => pool.query('SELECT 1') };
}

/** The pool's connections, for the metrics gauges. */
export function poolStats(pool: DbPool) {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/**
 * Redis as an optional readiness dependency: down means `degraded`, not unready. Stage 07's cache
 * falls back to PostgreSQL and its login limiter refuses logins: every other route still serves.
 */
export function redisCheck(redis: RedisClient): DependencyCheck {
  return { name: 'redis', required: false, check: () => redis.sendCommand(['PING']) };
}
