import { existsSync } from 'node:fs';
import type { CacheSettings } from './cache/query-cache.ts';
import {
  BCRYPT_COST_RANGE,
  DEVELOPMENT_VALUES,
  type Env,
  envSchema,
  JWT_SECRET_MIN_LENGTH,
  PRODUCTION_MIN_BCRYPT_COST,
} from './config.schema.ts';
import { weakSecretReason } from './config.secret.ts';
import { LARGEST_COMMENT_BODY, LARGEST_TICKET_BODY, largestJsonBytes } from './http/body-limit.ts';
import { availableCpus } from './reports/available-cpus.ts';

export { BCRYPT_COST_RANGE, JWT_SECRET_MIN_LENGTH };

// The only module that reads process.env: everything else receives plain values, so tests can
// build the app with whatever settings they need. The variables, their types and defaults are
// config.schema.ts's; this module parses them once and shapes them for the code.
export interface Config {
  /** NODE_ENV: 'production' makes development-only commands (db:seed) refuse to run. */
  nodeEnv: Env['NODE_ENV'];
  port: number;
  /**
   * Where /metrics and /docs answer (INTERNAL_PORT): a port no balancer routes. Undefined: on
   * `port`, with the API (development); production defaults to DEFAULT_INTERNAL_PORT.
   */
  internalPort: number | undefined;
  corsOrigins: string[];
  bodyLimitBytes: number;
  reportSize: number;
  /** Report worker threads at once, at most one per CPU: more than that only take turns. */
  reportWorkers: number;
  /** Report requests that may wait for a worker; the next one gets 503 + Retry-After. */
  reportQueueLength: number;
  /** Whether GET /reports/ticket-stats exists (REPORTS_ENABLED; off in production by default). */
  reportsEnabled: boolean;
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
  /** One log line per request (ACCESS_LOG); off where a proxy in front already logs them. */
  accessLog: boolean;
  /** pino's level (LOG_LEVEL) and pretty lines (development only). */
  log: { level: string; pretty: boolean };
  /** After SIGTERM: how long readiness says 503 before the listener closes (SHUTDOWN_DRAIN_DELAY_MS). */
  shutdownDrainDelayMs: number;
  /** After SIGTERM: the longest in-flight requests may take; then exit 1 (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /** The longest one dependency may take to answer a readiness check (READINESS_TIMEOUT_MS). */
  readinessTimeoutMs: number;
  /** How long an idle keep-alive connection stays open: past any proxy's (HTTP_KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMs: number;
  /** How long a request's headers may take to arrive (HTTP_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
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

/** Prometheus exporters' port range (node_exporter is 9100): where a scraper looks. */
export const DEFAULT_INTERNAL_PORT = 9464;

/** The docker-compose Redis. */
export const DEFAULT_REDIS_URL = DEVELOPMENT_VALUES.REDIS_URL;

/** The docker-compose Postgres (the same URL as .env.example). */
export const DEFAULT_DATABASE_URL = DEVELOPMENT_VALUES.DATABASE_URL;

/** Every problem of one environment, one per line, each naming its variable (never its value). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

// LESSON: in development a .env file (git-ignored, copied from .env.example) fills in what the
// shell did not set; the shell wins. In production the platform sets the environment and a stray
// .env baked into an image or left on a server must change nothing, so it is not read at all.
function processEnv(): NodeJS.ProcessEnv {
  const nodeEnv = process.env.NODE_ENV ?? 'development';
  if (nodeEnv === 'development' && existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

type Parsed<Server extends boolean> = Server extends true ? Env : Omit<Env, 'JWT_SECRET'>;

/**
 * Parses every variable at once; throws a ConfigError listing all problems. `server`: the whole
 * schema, secret included; otherwise what a one-off command (migrate, seed, a lab) needs.
 */
function parse<Server extends boolean>(env: NodeJS.ProcessEnv, server: Server): Parsed<Server> {
  // An empty variable (`PORT=` in a .env file) means "not set": the default applies.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const schema = server ? envSchema : envSchema.omit({ JWT_SECRET: true });
  const result = schema.safeParse(set);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  const nodeEnv = result.success ? result.data.NODE_ENV : set.NODE_ENV;
  if (nodeEnv === 'production') problems.push(...productionProblems(set, server));
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return result.data as Parsed<Server>;
}

// LESSON: production refuses what only makes sense on a laptop. A forgotten DATABASE_URL must
// not quietly mean "localhost", nor the secret everyone can read in .env.example (or any secret
// that looks like a placeholder or guessable: config.secret.ts) sign real tokens.
// (The origins, the secret and bcrypt are the server's: a migration job does not need them.)
function productionProblems(env: Record<string, string | undefined>, server: boolean): string[] {
  const problems: string[] = [];
  for (const name of server
    ? (['DATABASE_URL', 'CORS_ORIGINS', 'REDIS_URL'] as const)
    : (['DATABASE_URL'] as const)) {
    if (env[name] === undefined)
      problems.push(`${name} must be set in production (the default is for development)`);
    else if (env[name] === DEVELOPMENT_VALUES[name])
      problems.push(`${name} must not be the development value in production`);
  }
  if (!server) return problems;
  const secret = env.JWT_SECRET;
  if (secret === DEVELOPMENT_VALUES.JWT_SECRET) {
    problems.push('JWT_SECRET must not be the example secret of .env.example in production');
  } else if (secret !== undefined && secret.length >= JWT_SECRET_MIN_LENGTH) {
    // Too short is the schema's problem, already listed; this one is about what fills the length.
    const weak = weakSecretReason(secret);
    if (weak) problems.push(`JWT_SECRET ${weak} in production`);
  }
  const cost = Number(env.BCRYPT_COST ?? PRODUCTION_MIN_BCRYPT_COST);
  if (cost < PRODUCTION_MIN_BCRYPT_COST) {
    problems.push(`BCRYPT_COST must be at least ${PRODUCTION_MIN_BCRYPT_COST} in production`);
  }
  return problems;
}

function toConfig(env: Omit<Env, 'JWT_SECRET'>): Config {
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    // Metrics say how busy each route is and how it fails; the docs list every input. For the
    // scraper and the team: in production on a port of their own, never next to the API.
    internalPort:
      env.INTERNAL_PORT ?? (env.NODE_ENV === 'production' ? DEFAULT_INTERNAL_PORT : undefined),
    corsOrigins: env.CORS_ORIGINS ?? [DEVELOPMENT_VALUES.CORS_ORIGINS],
    // The largest valid ticket or comment, in the worst characters (http/body-limit.ts): anything
    // bigger is a mistake or an attack.
    bodyLimitBytes: largestJsonBytes([LARGEST_TICKET_BODY, LARGEST_COMMENT_BODY]),
    // 100k synthetic tickets ≈ 150–300 ms of CPU on a laptop-class core: long enough to feel.
    reportSize: 100_000,
    // One per CPU this process may use (a container's quota included), and never more.
    reportWorkers: Math.min(env.REPORT_WORKERS, availableCpus()),
    reportQueueLength: env.REPORT_QUEUE_LENGTH,
    // Seconds of CPU a call, `mode=blocking` stalls everyone, and anyone can sign up and be an
    // admin: a lesson for development, in production only where the operator turns it on.
    reportsEnabled: env.REPORTS_ENABLED ?? env.NODE_ENV !== 'production',
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    databaseStatementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    databaseLockTimeoutMs: env.DATABASE_LOCK_TIMEOUT_MS,
    bcryptCost: env.BCRYPT_COST,
    token: { ttlSeconds: env.JWT_TTL_SECONDS, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
    redis: {
      url: env.REDIS_URL ?? DEFAULT_REDIS_URL,
      connectTimeoutMs: env.REDIS_CONNECT_TIMEOUT_MS,
      commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
    },
    cache: {
      prefix: `${env.REDIS_KEY_PREFIX}cache:`,
      ttlSeconds: env.CACHE_TTL_SECONDS,
      lockMs: 5_000,
      lockWaitMs: 1_000,
    },
    rateLimit: {
      keyPrefix: env.REDIS_KEY_PREFIX,
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      limit: env.RATE_LIMIT,
      loginWindowMs: 15 * 60_000,
      loginLimitPerIp: env.LOGIN_LIMIT_PER_IP,
      loginLimitPerEmail: env.LOGIN_LIMIT_PER_EMAIL,
      newUserLimitPerIp: env.NEW_USER_LIMIT_PER_IP,
    },
    trustProxyHops: env.TRUST_PROXY_HOPS,
    accessLog: env.ACCESS_LOG,
    // Pretty lines only where a person reads the terminal; everywhere else JSON for machines.
    log: { level: env.LOG_LEVEL, pretty: env.NODE_ENV === 'development' },
    shutdownDrainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    readinessTimeoutMs: env.READINESS_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
  };
}

/** Every setting but the signing secret: what migrations, the seed and the labs need. */
export function loadConfig(env: NodeJS.ProcessEnv = processEnv()): Config {
  return toConfig(parse(env, false));
}

// A signing secret has no default in code: .env.example's is for development and production
// refuses it. The message names the variable, never its value: this line ends up in logs.
export function loadJwtSecret(env: NodeJS.ProcessEnv = processEnv()): string {
  return parse(env, true).JWT_SECRET;
}

/** What the server needs, parsed in ONE pass so that a bad start lists every problem at once. */
export function loadServerConfig(env: NodeJS.ProcessEnv = processEnv()): {
  config: Config;
  jwtSecret: string;
} {
  const parsed = parse(env, true);
  return { config: toConfig(parsed), jwtSecret: parsed.JWT_SECRET };
}
