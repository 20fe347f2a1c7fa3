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
  /** Which implementation of the repositories serves the API (raw pg unless told otherwise). */
  dataLayer: DataLayer;
}

/** The docker-compose Postgres (the same URL as .env.example). */
export const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@localhost:5432/backend_path';

// LESSON: the data layer is chosen once, at startup. Everything above the repositories is the
// same code whichever one runs (test/tickets/tickets.repository.contract.ts holds them to that).
export const DATA_LAYERS = ['pg', 'prisma', 'typeorm'] as const;
export type DataLayer = (typeof DATA_LAYERS)[number];

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

function dataLayer(raw: string | undefined): DataLayer {
  if (raw === undefined || raw === '') return 'pg';
  const known = DATA_LAYERS.find((name) => name === raw);
  if (known === undefined) {
    throw new Error(`DATA_LAYER must be one of ${DATA_LAYERS.join(', ')}, got "${raw}"`);
  }
  return known;
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
    dataLayer: dataLayer(env.DATA_LAYER),
  };
}
