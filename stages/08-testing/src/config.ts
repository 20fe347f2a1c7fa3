import type { CacheSettings } from './cache/query-cache.ts';
import { LARGEST_COMMENT_BODY, LARGEST_TICKET_BODY, largestJsonBytes } from './http/body-limit.ts';
import { availableCpus } from './reports/available-cpus.ts';
// The only module that reads process.env: everything else receives plain values, so tests can
// build the app with whatever settings they need.
export interface Config {
  /** NODE_ENV: 'production' makes development-only commands (db:seed) refuse to run. */
  nodeEnv: string;
  port: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  reportSize: number;
  /** Report worker threads at once, at most one per CPU: more than that only take turns. */
  reportWorkers: number;
  /** Report requests that may wait for a worker; the next one gets 503 + Retry-After. */
  reportQueueLength: number;
  databaseUrl: string;
  /** Connections this process may open; every instance of the API multiplies it. */
  databasePoolMax: number;
  /** Longest one SQL statement may run, in ms (statement_timeout on every pooled connection). */
  databaseStatementTimeoutMs: number;
  /** Longest a statement may wait for a lock, in ms (lock_timeout); then 503 + Retry-After. */
  databaseLockTimeoutMs: number;
  /** bcrypt's work factor: each +1 doubles the time per hash (lab:bcrypt measures it). */
  bcryptCost: number;
  /** What every access token says and is checked for (the secret is loadJwtSecret's). */
  token: TokenSettings;
  redis: RedisSettings;
  cache: CacheSettings;
  rateLimit: RateLimitSettings;
  /** How many proxies stand in front of the API (0: none); req.ip is the address before them. */
  trustProxyHops: number;
}

export interface RedisSettings {
  url: string;
  connectTimeoutMs: number;
  /** Per command; with Redis down commands fail at once, this bounds a Redis that hangs. */
  commandTimeoutMs: number;
}

export interface RateLimitSettings {
  /** Every rate-limit key starts with it (REDIS_KEY_PREFIX, like the cache's). */
  keyPrefix: string;
  windowMs: number;
  /** Requests per window for one user (or one address without a token), every route. */
  limit: number;
  loginWindowMs: number;
  loginLimitPerIp: number;
  loginLimitPerEmail: number;
  /** Sign-ups and new users (a bcrypt hash each) per address, per login window. */
  newUserLimitPerIp: number;
}

export interface TokenSettings {
  ttlSeconds: number;
  issuer: string;
  audience: string;
}

// bcrypt accepts 4–31; 4 is for tests only, and past 15 one login takes seconds.
export const BCRYPT_COST_RANGE = { min: 4, max: 15 } as const;
export const JWT_SECRET_MIN_LENGTH = 32;

/** The docker-compose Redis. */
export const DEFAULT_REDIS_URL = 'redis://localhost:6379';

/** The docker-compose Postgres (the same URL as .env.example). */
export const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@localhost:5432/backend_path';

function parsePort(raw: string | undefined): number {
  const port = Number(raw ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

/** 0 is allowed: `trust proxy` 0 means "no proxy, req.ip is the socket's address". */
function hopCount(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`TRUST_PROXY_HOPS must be the number of proxies (0-10), got "${raw}"`);
  }
  return hops;
}

function bcryptCost(raw: string | undefined): number {
  const cost = positiveInteger('BCRYPT_COST', raw, 12);
  if (cost < BCRYPT_COST_RANGE.min || cost > BCRYPT_COST_RANGE.max) {
    throw new Error(
      `BCRYPT_COST must be from ${BCRYPT_COST_RANGE.min} to ${BCRYPT_COST_RANGE.max}, got "${raw}"`,
    );
  }
  return cost;
}

// LESSON: a signing secret has no default. A default would be in the repository, so anyone
// could sign a token for any user; a short one can be brute-forced offline from one token.
// The message names the variable, never its value: this line ends up in logs.
export function loadJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.JWT_SECRET ?? '';
  if (secret.length < JWT_SECRET_MIN_LENGTH) {
    throw new Error(
      `JWT_SECRET must be set to at least ${JWT_SECRET_MIN_LENGTH} random characters ` +
        `(${secret === '' ? 'it is not set' : 'it is too short'}). ` +
        "Generate one: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"",
    );
  }
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // One Redis may serve several apps (and test runs): each keeps to its own keys.
  const keyPrefix = env.REDIS_KEY_PREFIX || 'bp:';
  return {
    nodeEnv: env.NODE_ENV || 'development',
    port: parsePort(env.PORT),
    corsOrigins: (env.CORS_ORIGINS ?? 'http://localhost:5173')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    // The largest valid ticket or comment, in the worst characters (http/body-limit.ts): anything
    // bigger is a mistake or an attack.
    bodyLimitBytes: largestJsonBytes([LARGEST_TICKET_BODY, LARGEST_COMMENT_BODY]),
    // 100k synthetic tickets ≈ 150–300 ms of CPU on a laptop-class core: long enough to feel.
    reportSize: 100_000,
    // One per CPU this process may use (a container's quota included), and never more.
    reportWorkers: Math.min(
      positiveInteger('REPORT_WORKERS', env.REPORT_WORKERS, availableCpus()),
      availableCpus(),
    ),
    reportQueueLength: positiveInteger('REPORT_QUEUE_LENGTH', env.REPORT_QUEUE_LENGTH, 8),
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    databasePoolMax: positiveInteger('DATABASE_POOL_MAX', env.DATABASE_POOL_MAX, 10),
    // An API answers in milliseconds: a statement still running after 5 s, or waiting 2 s for a
    // lock, is a problem to report (503), not a wait to extend. Batch jobs set their own.
    databaseStatementTimeoutMs: positiveInteger(
      'DATABASE_STATEMENT_TIMEOUT_MS',
      env.DATABASE_STATEMENT_TIMEOUT_MS,
      5000,
    ),
    databaseLockTimeoutMs: positiveInteger(
      'DATABASE_LOCK_TIMEOUT_MS',
      env.DATABASE_LOCK_TIMEOUT_MS,
      2000,
    ),
    bcryptCost: bcryptCost(env.BCRYPT_COST),
    token: {
      // Short-lived: a stolen token is useful for minutes, and logout-all cuts even that short.
      ttlSeconds: positiveInteger('JWT_TTL_SECONDS', env.JWT_TTL_SECONDS, 15 * 60),
      issuer: env.JWT_ISSUER || 'backend-path',
      audience: env.JWT_AUDIENCE || 'backend-path-api',
    },
    redis: {
      url: env.REDIS_URL || DEFAULT_REDIS_URL,
      connectTimeoutMs: positiveInteger(
        'REDIS_CONNECT_TIMEOUT_MS',
        env.REDIS_CONNECT_TIMEOUT_MS,
        1000,
      ),
      // Redis answers in well under a millisecond: 100 ms is a Redis in trouble, and each
      // request pays it at most twice before it falls back to PostgreSQL.
      commandTimeoutMs: positiveInteger(
        'REDIS_COMMAND_TIMEOUT_MS',
        env.REDIS_COMMAND_TIMEOUT_MS,
        100,
      ),
    },
    cache: {
      prefix: `${keyPrefix}cache:`,
      // The backstop, not the mechanism: writes invalidate at once (versioned keys); the TTL
      // only bounds what a missed invalidation (Redis down during a write) can cost.
      ttlSeconds: positiveInteger('CACHE_TTL_SECONDS', env.CACHE_TTL_SECONDS, 300),
      lockMs: 5_000,
      lockWaitMs: 1_000,
    },
    rateLimit: {
      keyPrefix,
      windowMs: positiveInteger('RATE_LIMIT_WINDOW_MS', env.RATE_LIMIT_WINDOW_MS, 60_000),
      limit: positiveInteger('RATE_LIMIT', env.RATE_LIMIT, 300),
      loginWindowMs: 15 * 60_000,
      loginLimitPerIp: positiveInteger('LOGIN_LIMIT_PER_IP', env.LOGIN_LIMIT_PER_IP, 50),
      loginLimitPerEmail: positiveInteger('LOGIN_LIMIT_PER_EMAIL', env.LOGIN_LIMIT_PER_EMAIL, 10),
      newUserLimitPerIp: positiveInteger('NEW_USER_LIMIT_PER_IP', env.NEW_USER_LIMIT_PER_IP, 20),
    },
    trustProxyHops: hopCount(env.TRUST_PROXY_HOPS),
  };
}
