// The only file that reads process.env. Stage 02's config (PORT…) is merged into this one;
// stage 03 adds what the database needs.

export const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@localhost:5432/backend_path';

export interface Config {
  port: number;
  databaseUrl: string;
  /** Connections this process may open; every instance of the API multiplies it. */
  databasePoolMax: number;
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
    port: positiveInteger('PORT', env.PORT, 3000),
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    databasePoolMax: positiveInteger('DATABASE_POOL_MAX', env.DATABASE_POOL_MAX, 10),
  };
}
