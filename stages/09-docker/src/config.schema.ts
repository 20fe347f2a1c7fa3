import { z } from 'zod';
import { availableCpus } from './reports/available-cpus.ts';

// LESSON: one schema names every variable the process reads, its type, its range and its default.
// config.ts parses process.env with it once, at boot: a typo in a deployment fails the start with
// every problem listed, instead of failing one request an hour later. A new variable is one line
// here (and one in .env.example: test/config/config.env-example.test.ts checks both agree).

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const JWT_SECRET_MIN_LENGTH = 32;
// bcrypt accepts 4–31; 4 is for tests only, and past 15 one login takes seconds.
export const BCRYPT_COST_RANGE = { min: 4, max: 15 } as const;
/** Below this, production refuses the cost: a hash cheap enough for tests is cheap to crack. */
export const PRODUCTION_MIN_BCRYPT_COST = 10;

/**
 * Values that only make sense on a developer's machine. Outside production they are defaults
 * (DATABASE_URL, CORS_ORIGINS) or the example's value (JWT_SECRET, in .env.example); in
 * production each must be set, to something else.
 */
export const DEVELOPMENT_VALUES = {
  /** The docker-compose Postgres (the same URL as .env.example). */
  DATABASE_URL: 'postgres://postgres:postgres@localhost:5432/backend_path',
  /** The Vite dev server. */
  CORS_ORIGINS: 'http://localhost:5173',
  /** .env.example's secret: public, since it is in the repository. */
  JWT_SECRET: 'development-only-secret-refused-in-production',
  /** The docker-compose Redis. */
  REDIS_URL: 'redis://localhost:6379',
} as const;

// Messages say what is expected, never what was received: a secret's value would end up in logs.
function integer(min: number, max: number) {
  const expected = `must be a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected });
}

const HOUR_MS = 3_600_000;
const comma = (list: string) => list.split(',').map((item) => item.trim());

export const envSchema = z.object({
  NODE_ENV: z
    .enum(NODE_ENVS, { error: `must be one of ${NODE_ENVS.join(', ')}` })
    .default('development'),
  PORT: integer(0, 65_535).default(3000),
  // Optional here, defaulted in config.ts outside production (DEVELOPMENT_VALUES).
  CORS_ORIGINS: z
    .string()
    .transform((list) => comma(list).filter((origin) => origin !== ''))
    .pipe(
      z.array(z.url({ protocol: /^https?$/, error: 'must be comma-separated http(s) origins' })),
    )
    .optional(),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .optional(),
  DATABASE_POOL_MAX: integer(1, 100).default(10),
  // An API answers in milliseconds: a statement still running after 5 s, or waiting 2 s for a
  // lock, is a problem to report (503), not a wait to extend. Batch jobs set their own.
  DATABASE_STATEMENT_TIMEOUT_MS: integer(1, HOUR_MS).default(5000),
  DATABASE_LOCK_TIMEOUT_MS: integer(1, HOUR_MS).default(2000),
  JWT_SECRET: z
    .string({
      error: `must be set to at least ${JWT_SECRET_MIN_LENGTH} random characters (it is not set)`,
    })
    .min(JWT_SECRET_MIN_LENGTH, {
      error: `must be set to at least ${JWT_SECRET_MIN_LENGTH} random characters (it is too short)`,
    }),
  // Short-lived: a stolen token is useful for minutes, and logout-all cuts even that short.
  JWT_TTL_SECONDS: integer(60, 24 * 3600).default(15 * 60),
  JWT_ISSUER: z.string().default('backend-path'),
  JWT_AUDIENCE: z.string().default('backend-path-api'),
  BCRYPT_COST: integer(BCRYPT_COST_RANGE.min, BCRYPT_COST_RANGE.max).default(12),
  REPORT_WORKERS: integer(1, 256).default(() => availableCpus()),
  REPORT_QUEUE_LENGTH: integer(1, 10_000).default(8),
  // The CPU-heavy report (stage 01's lesson) in production: off unless set (config.ts).
  REPORTS_ENABLED: z.stringbool({ error: 'must be true or false' }).optional(),
  // A flag: z.stringbool() knows "false", "0", "no", "off"; z.coerce.boolean() would make
  // every non-empty string true, "false" included.
  ACCESS_LOG: z.stringbool({ error: 'must be true or false' }).default(true),
  // Optional here, defaulted in config.ts outside production (DEVELOPMENT_VALUES).
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
  // One Redis may serve several apps (and test runs): each keeps to its own keys.
  REDIS_KEY_PREFIX: z.string().default('bp:'),
  REDIS_CONNECT_TIMEOUT_MS: integer(1, 60_000).default(1000),
  // Redis answers in well under a millisecond: 100 ms is a Redis in trouble, and each
  // request pays it at most twice before it falls back to PostgreSQL.
  REDIS_COMMAND_TIMEOUT_MS: integer(1, 60_000).default(100),
  // The backstop, not the mechanism: writes invalidate at once (versioned keys); the TTL
  // only bounds what a missed invalidation (Redis down during a write) can cost.
  CACHE_TTL_SECONDS: integer(1, 24 * 3600).default(300),
  RATE_LIMIT_WINDOW_MS: integer(1000, HOUR_MS).default(60_000),
  RATE_LIMIT: integer(1, 1_000_000_000).default(300),
  LOGIN_LIMIT_PER_IP: integer(1, 1_000_000).default(50),
  LOGIN_LIMIT_PER_EMAIL: integer(1, 1_000_000).default(10),
  NEW_USER_LIMIT_PER_IP: integer(1, 1_000_000).default(20),
  // A number of proxies, never `true`: trusting every hop lets any client pick its address.
  TRUST_PROXY_HOPS: integer(0, 10).default(0),
});

export type Env = z.infer<typeof envSchema>;
export type EnvName = keyof typeof envSchema.shape;
