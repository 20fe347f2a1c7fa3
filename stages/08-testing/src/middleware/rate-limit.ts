import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, type Options, rateLimit } from 'express-rate-limit';
import { type RedisReply, RedisStore } from 'rate-limit-redis';
import type { TokenService } from '../auth/tokens.ts';
import type { RateLimitSettings } from '../config.ts';
import type { RedisClient } from '../db/redis.ts';
import { AppError, ServiceUnavailableError, TooManyRequestsError } from '../errors.ts';

// The fields first (`event` names the line: a test or a log search finds it by that name), then
// the message. console prints both; pino (stage 10) takes the same call and writes them as JSON.
type Log = { error(fields: Record<string, unknown>, message: string): void };

// LESSON: a limit counted in this process's memory is a limit per instance: behind a load
// balancer with 4 instances, "100 a minute" is 400, and a restart forgets it. The counters live
// in Redis, which every instance shares; each limiter needs its own store (its own key space).
function redisStore(redis: RedisClient, prefix: string): RedisStore {
  const store = new RedisStore({
    prefix,
    // The library speaks raw Redis; our client passes its replies through as they come.
    sendCommand: (...args: string[]) => redis.sendCommand(args) as Promise<RedisReply>,
  });
  // The store loads its Lua script once, at start. If Redis was down then, that load failed for
  // good; the library retries only on NOSCRIPT (Redis restarted). Load again after any failure.
  const increment = store.increment.bind(store);
  store.increment = async (key) => {
    const loadFailed = await store.incrementScriptSha?.then(
      () => false,
      () => true,
    );
    if (loadFailed) store.incrementScriptSha = store.loadIncrementScript();
    return increment(key);
  };
  return store;
}

function failure(limiter: string, error: unknown) {
  return { event: 'rate_limit.failed', limiter, reason: describe(error) };
}

/** `name` tells the policies apart in the RateLimit headers; its keys live under prefix + name. */
function common(redis: RedisClient, name: string, prefix: string, log: Log): Partial<Options> {
  return {
    identifier: name,
    store: redisStore(redis, `${prefix}rl:${name}:`),
    // RateLimit + RateLimit-Policy (IETF draft 8) and Retry-After on a 429; no X-RateLimit-*.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Our envelope, through our error handler; the headers above are already set.
    handler: (_req, _res, next) => next(new TooManyRequestsError()),
    // One line per problem (Redis down is expected, not a crash): what happened, and why.
    logger: {
      error: (error, message) => log.error(failure(name, error), message ?? 'rate limit failed'),
      warn: (error, message) => log.error(failure(name, error), message ?? 'rate limit failed'),
    },
  };
}

/** Who is asking, for the general limit: the user behind a valid token, else the address. */
function callerKey(tokens: TokenService): Options['keyGenerator'] {
  return (req) => {
    const [scheme, token] = (req.get('Authorization') ?? '').split(' ');
    const claims = scheme?.toLowerCase() === 'bearer' && token ? tokens.verify(token) : null;
    // One budget per user wherever they connect from; per address otherwise. ipKeyGenerator
    // counts an IPv6 /56 as one address: one machine can hold billions of its addresses.
    return claims ? `user:${claims.sub}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
  };
}

// A health check is how an orchestrator or a balancer decides whether this instance lives: it
// must answer whatever the callers at its address have spent. Counted with them, a client that
// shares the prober's address (a node, a NAT) could make liveness answer 429, and the instance
// be restarted for it. So the general limit skips them; they are cheap and read no data.
/** The health checks under /api/v1 (any case, as Express routes them): never counted, never 429. */
export function isHealthCheck(path: string): boolean {
  return /^\/health(\/|$)/i.test(path);
}

// LESSON: fail open or fail closed is a decision per limit. The general limit protects capacity:
// with Redis down, refusing every request would turn a cache outage into a full outage, so it
// lets requests through (and logs). The login limit protects passwords from guessing: without
// it, an attacker gets unlimited tries, so it refuses logins (503) until Redis is back.
export function apiRateLimit(
  redis: RedisClient,
  settings: RateLimitSettings,
  tokens: TokenService,
  log: Log,
): RequestHandler {
  return rateLimit({
    ...common(redis, 'api', settings.keyPrefix, log),
    windowMs: settings.windowMs,
    limit: settings.limit,
    keyGenerator: callerKey(tokens),
    skip: (req) => isHealthCheck(req.path),
    passOnStoreError: true,
  });
}

/** POST /auth/login: per address (one attacker, many accounts) and per e-mail (many, one). */
export function loginRateLimits(
  redis: RedisClient,
  settings: RateLimitSettings,
  log: Log,
): RequestHandler[] {
  const byIp = rateLimit({
    ...common(redis, 'login-ip', settings.keyPrefix, log),
    windowMs: settings.loginWindowMs,
    limit: settings.loginLimitPerIp,
  });
  const byEmail = rateLimit({
    ...common(redis, 'login-email', settings.keyPrefix, log),
    windowMs: settings.loginWindowMs,
    limit: settings.loginLimitPerEmail,
    // Without an e-mail the login fails validation anyway; the address limit still counted it.
    skip: (req) => typeof req.body?.email !== 'string',
    // Failures only: it guards one account's password, and ten good logins must not lock its
    // owner out. The count still goes up BEFORE the password is checked (and back down after a
    // success), so 20 guesses at once cannot all slip in before the first one is counted.
    skipSuccessfulRequests: true,
    // Hashed: Redis (and whoever reads its keys) needs to tell e-mails apart, not to know them.
    keyGenerator: (req) =>
      createHash('sha256')
        .update(lowerLikePostgres(String(req.body.email).trim()))
        .digest('hex'),
  });
  const paused = 'Logins are paused for a moment; try again soon.';
  return [failClosed(byIp, paused), failClosed(byEmail, paused)];
}

/**
 * POST /auth/register and POST /users, one budget per address: each hashes a new password
 * (bcrypt, a fifth of a second of CPU), so each is work anyone could order by the thousand. Like
 * the login limits it fails closed: no Redis, no unlimited hashing.
 */
export function newUserRateLimit(
  redis: RedisClient,
  settings: RateLimitSettings,
  log: Log,
): RequestHandler {
  const limiter = rateLimit({
    ...common(redis, 'new-user', settings.keyPrefix, log),
    windowMs: settings.loginWindowMs,
    limit: settings.newUserLimitPerIp,
  });
  return failClosed(limiter, 'Creating users is paused for a moment; try again soon.');
}

// LESSON: one account, one budget. users_email_key is unique on lower(email) (migration 0007):
// every spelling that lower() makes one is one account, so the key must merge at least those,
// or each spelling gets a fresh budget. PostgreSQL lowers one character at a time; JavaScript's
// toLowerCase() reads the whole string: a final 'Σ' becomes 'ς' (lower(): 'σ'), and 'İ' becomes
// 'i' plus a combining dot (lower(): 'i'). So: one character at a time, and İ by hand.
export function lowerLikePostgres(text: string): string {
  return Array.from(text, (char) => (char === 'İ' ? 'i' : char.toLowerCase())).join('');
}

/** A store error (Redis down) becomes 503 + Retry-After instead of a pass or a 500. */
function failClosed(limiter: RequestHandler, message: string): RequestHandler {
  return (req, res, next) =>
    limiter(req, res, (error?: unknown) => {
      if (error === undefined || error === 'route' || error instanceof AppError) return next(error);
      next(new ServiceUnavailableError(message, 5, error));
    });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
