import { createServer } from 'node:http';
import { Server as NetServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from './app.ts';
import { createPgCredentialsRepository } from './auth/credentials.repository.pg.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { createTokenService } from './auth/tokens.ts';
import { createPgCommentRepository } from './comments/comments.repository.pg.ts';
import { loadConfig, loadJwtSecret } from './config.ts';
import { closePool, createPool } from './db/pool.ts';
import { createRedisClient, redisReady } from './db/redis.ts';
import { createPgStatsRepository } from './stats/stats.repository.pg.ts';
import { EVENT_LOOP_RESOLUTION_MS } from './system/system.routes.ts';
import { createPgTicketRepository } from './tickets/tickets.repository.pg.ts';
import { createPgUserRepository } from './users/users.repository.pg.ts';

const config = loadConfig();
// Before anything starts: without a proper secret the server refuses to run at all.
const jwtSecret = loadJwtSecret();
const logger = console;

// LESSON: the last line of defence. After an uncaught exception the process is in an unknown
// state (half-done writes, leaked handles), so log it and exit; a supervisor (systemd, Docker,
// Kubernetes) starts a clean one. Limping on is how one bug becomes wrong data.
process.on('uncaughtException', (error) => {
  logger.error('Uncaught exception, exiting:', error);
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  logger.error('Unhandled promise rejection, exiting:', reason);
  process.exit(1);
});

// Samples how late the event loop runs a timer; GET /api/v1/metrics/event-loop reads it.
const eventLoopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
eventLoopDelay.enable();

// One pool for the whole process: every repository borrows its connections from it.
const pool = createPool(config.databaseUrl, {
  max: config.databasePoolMax,
  statementTimeoutMillis: config.databaseStatementTimeoutMs,
  lockTimeoutMillis: config.databaseLockTimeoutMs,
  onIdleError: (error) => logger.error('[db] an idle connection failed:', error.message),
});

// One client for the process, like the pool. Not awaited: without Redis the API still serves
// (from PostgreSQL, see src/cache), and the client reconnects on its own when Redis is back.
const redis = createRedisClient({
  ...config.redis,
  onError: (message) => logger.error('[redis]', message),
});
// A moment for the first connection, so the rate limiters load their scripts now; past it, the
// API starts without Redis (and recovers when it comes: src/middleware/rate-limit.ts).
await redisReady(redis, config.redis.connectTimeoutMs).catch(() => {
  logger.error('[redis] not connected yet: starting without it (cache bypassed, logins refused)');
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
});

// requestTimeout bounds how long a (slow or malicious) client may take to send one request.
const server = createServer({ requestTimeout: 30_000 }, app);
server.listen(config.port, () => {
  logger.info(`Stage 07 (redis) listening on http://localhost:${config.port}`);
});

// Ctrl-C, or `docker stop`/Kubernetes (SIGTERM): stop accepting requests, let those in flight
// finish, THEN close the pool. The other way round, a request still running would find no
// connection to use. `once`: a second Ctrl-C gets Node's default, an immediate exit.
let shuttingDown = false;
// From the signal on, every answer says `Connection: close`: a keep-alive client sends its next
// request on a new connection, not on this one, which is about to close.
server.prependListener('request', (_req, res) => {
  if (shuttingDown) res.setHeader('Connection', 'close');
});
function shutDown(signal: NodeJS.Signals): void {
  logger.info(`${signal}: closing the server, then Redis and the database pool`);
  shuttingDown = true;
  // Not server.close(): it also destroys every keep-alive connection idle at this instant, one
  // whose next request already waits unread in its buffer included, and TCP answers that
  // request with a reset (stage 10's README measures it). net.Server's close stops only the
  // listener; a connection still silent a second later has nothing to send, and is closed then.
  setTimeout(() => server.closeIdleConnections(), 1000).unref();
  NetServer.prototype.close.call(server, () => {
    Promise.all([redis.close(), closePool(pool)]).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('Closing Redis or the database pool failed:', error);
        process.exit(1);
      },
    );
  });
}
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
