import express, { type Express } from 'express';
import helmet from 'helmet';
import { authRoutes } from './auth/auth.router.ts';
import { createAuthService } from './auth/auth.service.ts';
import type { CredentialsRepository } from './auth/credentials.repository.pg.ts';
import type { PasswordHasher } from './auth/passwords.ts';
import type { TokenService } from './auth/tokens.ts';
import { createQueryCache } from './cache/query-cache.ts';
import type { CommentRepository } from './comments/comments.repository.pg.ts';
import { commentRoutes } from './comments/comments.router.ts';
import type { Config } from './config.ts';
import type { RedisClient } from './db/redis.ts';
import { healthRoutes } from './health/health.routes.ts';
import type { DependencyCheck } from './health/readiness.ts';
import { idempotent } from './idempotency/idempotency.middleware.ts';
import type { IdempotencyStore } from './idempotency/idempotency.repository.pg.ts';
import { closeConnectionsWhenDraining, type Lifecycle } from './lifecycle/lifecycle.ts';
import type { Logger } from './logging/logger.ts';
import type { Metrics } from './metrics/metrics.ts';
import { acceptsJson } from './middleware/accepts-json.ts';
import { accessLog } from './middleware/access-log.ts';
import { authenticate } from './middleware/authenticate.ts';
import { corsPolicy } from './middleware/cors.ts';
import { errorHandler } from './middleware/error-handler.ts';
import { jsonBody } from './middleware/json-body.ts';
import { notFound } from './middleware/not-found.ts';
import { apiRateLimit, loginRateLimits, newUserRateLimit } from './middleware/rate-limit.ts';
import { requestId } from './middleware/request-id.ts';
import { docsPage, openApiRoutes } from './openapi/openapi.router.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import type { StatsRepository } from './stats/stats.repository.pg.ts';
import { statsRoutes } from './stats/stats.router.ts';
import { type EventLoopDelay, systemRoutes } from './system/system.routes.ts';
import { ticketRoutes } from './tickets/tickets.router.ts';
import type { SearchableTicketRepository } from './tickets/tickets.search.ts';
import type { UserLookup } from './users/users.lookup.ts';
import { userRoutes } from './users/users.router.ts';
import { createUserService } from './users/users.service.ts';

/**
 * Everything the app needs from outside: tests pass their own (a failing repository, a fake logger).
 */
export interface AppDeps {
  tickets: SearchableTicketRepository;
  comments: CommentRepository;
  users: UserLookup;
  credentials: CredentialsRepository;
  stats: StatsRepository;
  /** Shared by every instance: the cache and the rate-limit counters live here. */
  redis: RedisClient;
  passwords: PasswordHasher;
  tokens: TokenService;
  logger: Logger;
  config: Pick<
    Config,
    | 'corsOrigins'
    | 'bodyLimitBytes'
    | 'reportSize'
    | 'reportWorkers'
    | 'reportQueueLength'
    | 'reportsEnabled'
    | 'internalPort'
    | 'cache'
    | 'rateLimit'
    | 'trustProxyHops'
    | 'readinessTimeoutMs'
  > & { accessLog?: boolean };
  eventLoopDelay: EventLoopDelay;
  /** Whether a shutdown has begun (readiness 503, `Connection: close`). */
  lifecycle: Lifecycle;
  /** What readiness checks, in parallel: PostgreSQL; Redis joins the list where there is one. */
  dependencies: readonly DependencyCheck[];
  idempotency: IdempotencyStore;
  metrics: Metrics;
}

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  // `X-Powered-By: Express` tells every scanner which exploits to try first.
  app.disable('x-powered-by');
  // Express would put a weak ETag on every body, lists and errors included. We want a strong
  // one on single tickets only (http/respond.ts), where caching is part of the contract.
  app.set('etag', false);
  // req.ip: the address as many proxies in front of us saw it. A number, never `true`: trusting
  // every hop would let any client pick its address (X-Forwarded-For) and a fresh rate limit.
  app.set('trust proxy', config.trustProxyHops);
  const cache = createQueryCache(deps.redis, config.cache, logger);

  // LESSON: middleware runs in the order it is registered, and each one either answers or
  // calls next(). So the order is a design decision:
  app.use(closeConnectionsWhenDraining(deps.lifecycle)); // 0. shutting down: no keep-alive
  app.use(requestId()); // 1. first, so everything after it (logs, errors) can name the request
  // 2. early, to time the whole request and see its final status (the access line, unless
  // ACCESS_LOG=false); it also binds the request's logger (logging/request-context.ts) for
  // everything logged while the request runs.
  app.use(accessLog(logger, { line: config.accessLog !== false }));
  app.use(deps.metrics.record); // 2b. the same, counted per route pattern
  // 2c. security headers on every answer, errors included: the JSON API needs few, /docs the CSP.
  app.use(helmet());
  app.use(corsPolicy(config.corsOrigins)); // 3. before anything can fail: errors carry CORS too
  // 4. before any work is spent on the request (the body not even read): 429
  app.use('/api/v1', apiRateLimit(deps.redis, config.rateLimit, deps.tokens, logger));
  app.use('/api/v1', acceptsJson()); // 5. 406 before any work: we could only answer in JSON
  app.use(jsonBody(config.bodyLimitBytes)); // 6. 413 / 400 before any handler runs
  // 7. after the body (one limit counts per e-mail), before the password is checked
  app.post('/api/v1/auth/login', loginRateLimits(deps.redis, config.rateLimit, logger));
  // 7b. before a new password is hashed (a sign-up, an admin's new user): one budget per address
  const newUser = newUserRateLimit(deps.redis, config.rateLimit, logger);
  app.post('/api/v1/auth/register', newUser);
  app.post('/api/v1/users', newUser);
  // Attached per route, not here: health, metrics, login and sign-up need no token.
  const caller = authenticate(deps.tokens, deps.credentials);
  const keyed = idempotent(deps.idempotency);
  app.use(
    '/api/v1', // 8. the routes (each validates its input first); the prefix lives here, in one place
    authRoutes(createAuthService(deps.credentials, deps.passwords, deps.tokens), caller),
    userRoutes(createUserService(deps.credentials, deps.passwords), caller),
    ticketRoutes(deps.tickets, deps.users, caller, cache, keyed),
    commentRoutes(deps.tickets, deps.comments, caller, cache, keyed),
    statsRoutes(deps.stats, cache, caller),
    ...(config.reportsEnabled ? [reportRoutes(config, caller)] : []), // off: 404, as if never there
    systemRoutes(deps.eventLoopDelay, caller),
    healthRoutes({
      dependencies: deps.dependencies,
      lifecycle: deps.lifecycle,
      timeoutMs: config.readinessTimeoutMs,
    }),
    openApiRoutes(),
  );
  // /docs and /metrics here only without an internal port (development); else createInternalApp.
  if (config.internalPort === undefined) internalRoutes(app, deps.metrics);
  app.use(notFound()); // 9. nothing above answered: 404 in our envelope, not Express's HTML
  app.use(errorHandler(logger)); // 10. last: every error from 1-9 ends here
  return app;
}

// LESSON: /metrics says how busy each route is and how it fails; /docs lists every route and
// its inputs. Both are for the scraper and the team, not for the internet: in production they
// answer on INTERNAL_PORT, a port of their own that Prometheus reaches on the pod's address and
// no Service, Ingress or nginx routes. The public port answers 404 there, as for any unknown path.
export function createInternalApp(deps: Pick<AppDeps, 'metrics' | 'logger'>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet()); // /docs's Content-Security-Policy
  app.use('/api/v1', openApiRoutes()); // the document /docs reads, from this same port
  internalRoutes(app, deps.metrics);
  app.use(notFound());
  app.use(errorHandler(deps.logger));
  return app;
}

function internalRoutes(app: Express, metrics: Metrics): void {
  app.use('/docs', docsPage('/api/v1/openapi.json')); // the contract, for people to try
  // Where Prometheus looks by default; outside /api/v1: it is for the scraper, not for clients.
  app.get('/metrics', metrics.expose);
}
