import { availableParallelism } from 'node:os';
import { LARGEST_COMMENT_BODY, LARGEST_TICKET_BODY, largestJsonBytes } from './http/body-limit.ts';
// The only module that reads process.env: everything else receives plain values, so tests can
// build the app with whatever settings they need.
export interface Config {
  port: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  reportSize: number;
  /** Report worker threads at once: more than cores only take turns. */
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
  /** pino's level (LOG_LEVEL) and pretty lines (development only). */
  log: { level: string; pretty: boolean };
  /** After SIGTERM: how long readiness says 503 before the listener closes (SHUTDOWN_DRAIN_DELAY_MS). */
  shutdownDrainDelayMs: number;
  /** After SIGTERM: the longest in-flight requests may take; then exit 1 (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** The longest one dependency may take to answer a readiness check (READINESS_TIMEOUT_MS). */
  readinessTimeoutMs: number;
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(raw: string | undefined): string {
  const level = raw || 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return level;
}

function nonNegativeInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be an integer ≥ 0, got "${raw}"`);
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
    reportWorkers: positiveInteger('REPORT_WORKERS', env.REPORT_WORKERS, availableParallelism()),
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
    // Pretty lines only where a person reads the terminal; everywhere else JSON for machines.
    log: { level: logLevel(env.LOG_LEVEL), pretty: env.NODE_ENV === 'development' },
    // 0 here: deploy/k8s's preStop hook waits for the endpoints to update instead. Behind a
    // plain load balancer that polls readiness, set it to a few polling intervals.
    shutdownDrainDelayMs: nonNegativeInteger(
      'SHUTDOWN_DRAIN_DELAY_MS',
      env.SHUTDOWN_DRAIN_DELAY_MS,
      0,
    ),
    // Longer than any request may take (statement timeout 5 s), shorter than the orchestrator's
    // grace period (deploy/k8s: terminationGracePeriodSeconds), which then SIGKILLs.
    shutdownTimeoutMs: positiveInteger('SHUTDOWN_TIMEOUT_MS', env.SHUTDOWN_TIMEOUT_MS, 10_000),
    readinessTimeoutMs: positiveInteger('READINESS_TIMEOUT_MS', env.READINESS_TIMEOUT_MS, 1000),
  };
}
