import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp, createInternalApp } from './app.ts';
import { createPgCredentialsRepository } from './auth/credentials.repository.pg.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { createTokenService } from './auth/tokens.ts';
import { createPgCommentRepository } from './comments/comments.repository.pg.ts';
import { ConfigError, loadServerConfig } from './config.ts';
import { poolStats, postgresCheck, redisCheck } from './db/health.ts';
import { closePool, createPool } from './db/pool.ts';
import { createRedisClient, redisReady } from './db/redis.ts';
import { createPgIdempotencyStore } from './idempotency/idempotency.repository.pg.ts';
import { createLifecycle } from './lifecycle/lifecycle.ts';
import { createShutdown } from './lifecycle/shutdown.ts';
import { createLogger } from './logging/logger.ts';
import { createMetrics } from './metrics/metrics.ts';
import { createPgStatsRepository } from './stats/stats.repository.pg.ts';
import { EVENT_LOOP_RESOLUTION_MS } from './system/system.routes.ts';
import { createPgTicketRepository } from './tickets/tickets.repository.pg.ts';
import { createPgUserRepository } from './users/users.repository.pg.ts';

// Before anything starts: every variable is checked at once (config.ts), and a bad one stops
// the boot with all the problems listed.
const { config, jwtSecret } = loadServerConfigOrExit();
const logger = createLogger(config.log);
const lifecycle = createLifecycle();

// Samples how late the event loop runs a timer; GET /api/v1/metrics/event-loop reads it.
const eventLoopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
eventLoopDelay.enable();

// One pool for the whole process: every repository borrows its connections from it.
const pool = createPool(config.databaseUrl, {
  max: config.databasePoolMax,
  statementTimeoutMillis: config.databaseStatementTimeoutMs,
  lockTimeoutMillis: config.databaseLockTimeoutMs,
  onIdleError: (error) => logger.error({ err: error, event: 'db.idle_client.failed' }),
});
const idempotency = createPgIdempotencyStore(pool);
// LESSON: readiness asks PostgreSQL over a connection of its own. Through the pool above, a
// burst that keeps every connection busy would make the check wait in line behind the requests
// and time out — on every replica at once, so the balancer would drop them all when they are
// busiest. "Can this pod reach PostgreSQL?" is the question; a busy pool is the metrics' concern.
const readinessPool = createPool(config.databaseUrl, {
  max: 1,
  connectionTimeoutMillis: config.readinessTimeoutMs,
  statementTimeoutMillis: config.readinessTimeoutMs,
  onIdleError: (error) => logger.error({ err: error, event: 'db.readiness_client.failed' }),
});
const metrics = createMetrics({ poolStats: () => poolStats(pool) });

// One client for the process, like the pool. Not awaited: without Redis the API still serves
// (from PostgreSQL, see src/cache), and the client reconnects on its own when Redis is back.
const redis = createRedisClient({
  ...config.redis,
  onError: (message) => logger.error({ event: 'redis.error', reason: message }, 'redis error'),
});
// A moment for the first connection, so the rate limiters load their scripts now; past it, the
// API starts without Redis (and recovers when it comes: src/middleware/rate-limit.ts).
await redisReady(redis, config.redis.connectTimeoutMs).catch(() => {
  logger.error(
    { event: 'redis.not_ready' },
    'Redis not connected yet: starting without it (cache bypassed, logins refused)',
  );
});

const app = createApp({
  // Stage 02 built an in-memory repository here: swapping it is all that storing tickets in
  // PostgreSQL took. (The router and service grew only for what is new: search, comments.)
  tickets: createPgTicketRepository(pool),
  comments: createPgCommentRepository(pool),
  users: createPgUserRepository(pool),
  credentials: createPgCredentialsRepository(pool),
  stats: createPgStatsRepository(pool),
  redis,
  passwords: createPasswordHasher(config.bcryptCost),
  tokens: createTokenService(jwtSecret, config.token),
  logger,
  config,
  eventLoopDelay,
  lifecycle,
  // Redis down: still ready, but `degraded` (the cache fails open to PostgreSQL; only logins,
  // whose limiter fails closed, answer 503). PostgreSQL down: not ready.
  dependencies: [postgresCheck(readinessPool), redisCheck(redis)],
  idempotency,
  metrics,
});

// requestTimeout bounds how long a (slow or malicious) client may take to send one request;
// keepAliveTimeout outlives the proxy in front (config.schema.ts, deploy/nginx/nginx.conf).
const server = createServer(
  {
    requestTimeout: 30_000,
    headersTimeout: config.headersTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
  },
  app,
);
server.listen(config.port, () => {
  logger.info(
    { event: 'server.listening', port: config.port },
    `Stage 10 (production) listening on http://localhost:${config.port}`,
  );
});

// /metrics and /docs on a port of their own where there is one (production): see app.ts.
const internal =
  config.internalPort === undefined
    ? undefined
    : createServer(createInternalApp({ metrics, logger })).listen(config.internalPort, () => {
        logger.info(
          { event: 'server.internal_listening', port: config.internalPort },
          `/metrics and /docs on port ${config.internalPort}`,
        );
      });

// Keys past their 24 h, deleted hourly (a read already ignores them: idempotency.repository.pg.ts).
const cleanup = setInterval(() => {
  idempotency.deleteExpired().then(
    (deleted) => logger.info({ event: 'idempotency.cleanup', deleted }),
    (error: unknown) => logger.error({ err: error, event: 'idempotency.cleanup.failed' }),
  );
}, 60 * 60_000);
cleanup.unref();

// Ctrl-C, or `docker stop`/Kubernetes (SIGTERM): the whole recipe is in lifecycle/shutdown.ts.
// Server first, THEN the pool: the other way round, a request still running would find no
// connection to use.
const shutDown = createShutdown({
  server,
  lifecycle,
  logger,
  drainDelayMs: config.shutdownDrainDelayMs,
  timeoutMs: config.shutdownTimeoutMs,
  resources: [
    // Scrapable while the API drains; closed once it is done.
    { name: 'internal port', close: () => closeInternal() },
    { name: 'postgres', close: () => closePool(pool) },
    { name: 'postgres-readiness', close: () => closePool(readinessPool) },
    { name: 'redis', close: () => redis.close() },
  ],
  exit: (code) => process.exit(code),
});
process.once('SIGTERM', () => void shutDown('SIGTERM'));
process.once('SIGINT', () => void shutDown('SIGINT'));

// LESSON: the last line of defence. After an uncaught exception the process is in an unknown
// state (half-done writes, leaked handles), so log it at fatal and leave, through the same
// drain (the requests in flight may well be fine) and with exit code 1; a supervisor (systemd,
// Docker, Kubernetes) starts a clean one. Limping on is how one bug becomes wrong data.
process.on('uncaughtException', (error) => {
  logger.fatal({ err: error, event: 'process.uncaught_exception' }, 'uncaught exception');
  void shutDown('uncaughtException', 1);
});
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: reason, event: 'process.unhandled_rejection' }, 'unhandled rejection');
  void shutDown('unhandledRejection', 1);
});

function closeInternal(): Promise<void> {
  return new Promise((resolve) => {
    if (internal === undefined) return resolve();
    internal.close(() => resolve());
    internal.closeAllConnections(); // a scrape is seconds at most; none is worth waiting for
  });
}

// LESSON: a bad configuration is an operator's problem, not a bug: print the list, no stack
// trace, and exit non-zero so the platform (compose, Kubernetes) shows a failed start.
function loadServerConfigOrExit(): ReturnType<typeof loadServerConfig> {
  try {
    return loadServerConfig();
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(
      `${error.message}\nThe server did not start: see .env.example for each variable.`,
    );
    process.exit(1);
  }
}
