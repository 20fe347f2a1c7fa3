import { LARGEST_TICKET_BODY, largestJsonBytes } from './http/body-limit.ts';
import { availableCpus } from './reports/available-cpus.ts';
// The only module that reads process.env: everything else receives plain values, so tests can
// build the app with whatever settings they need.
export interface Config {
  port: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  reportSize: number;
  /** Report worker threads at once, at most one per CPU: more than that only take turns. */
  reportWorkers: number;
  /** Report requests that may wait for a worker; the next one gets 503 + Retry-After. */
  reportQueueLength: number;
}

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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: parsePort(env.PORT),
    corsOrigins: (env.CORS_ORIGINS ?? 'http://localhost:5173')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    // The largest valid ticket, in the worst characters (http/body-limit.ts): anything
    // bigger is a mistake or an attack.
    bodyLimitBytes: largestJsonBytes([LARGEST_TICKET_BODY]),
    // 100k synthetic tickets ≈ 150–300 ms of CPU on a laptop-class core: long enough to feel.
    reportSize: 100_000,
    // One per CPU this process may use (a container's quota included), and never more.
    reportWorkers: Math.min(
      positiveInteger('REPORT_WORKERS', env.REPORT_WORKERS, availableCpus()),
      availableCpus(),
    ),
    reportQueueLength: positiveInteger('REPORT_QUEUE_LENGTH', env.REPORT_QUEUE_LENGTH, 8),
  };
}
