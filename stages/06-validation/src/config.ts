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
}

export interface TokenSettings {
  ttlSeconds: number;
  issuer: string;
  audience: string;
}

// bcrypt accepts 4–31; 4 is for tests only, and past 15 one login takes seconds.
export const BCRYPT_COST_RANGE = { min: 4, max: 15 } as const;
export const JWT_SECRET_MIN_LENGTH = 32;

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
  };
}
