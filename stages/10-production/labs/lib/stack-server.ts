// The stage's server as src/server.ts wires it (PostgreSQL, Redis, JSON lines to stdout), for
// lab:stack-cost. LAB_LOGGING=off builds it without its request logging (createApp's
// `features`): what logging weighs on the real path. A lab file, not src/: the real server
// always logs.
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../src/app.ts';
import { createPgCredentialsRepository } from '../../src/auth/credentials.repository.pg.ts';
import { createPasswordHasher } from '../../src/auth/passwords.ts';
import { createTokenService } from '../../src/auth/tokens.ts';
import { createPgCommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { loadConfig, loadJwtSecret } from '../../src/config.ts';
import { poolStats, postgresCheck, redisCheck } from '../../src/db/health.ts';
import { createPool } from '../../src/db/pool.ts';
import { createRedisClient } from '../../src/db/redis.ts';
import { createPgIdempotencyStore } from '../../src/idempotency/idempotency.repository.pg.ts';
import { createLifecycle } from '../../src/lifecycle/lifecycle.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { createPgStatsRepository } from '../../src/stats/stats.repository.pg.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { createPgUserRepository } from '../../src/users/users.repository.pg.ts';

const config = loadConfig();
const pool = createPool(config.databaseUrl, { max: config.databasePoolMax });
const redis = createRedisClient({ ...config.redis, onError: () => {} });
// JSON lines to stdout as in production (the lab sets no NODE_ENV, which would mean development
// and pino-pretty in a worker thread): stages 02 and 09, the baselines, print to stdout too.
const logger = createLogger({ ...config.log, pretty: false });
const eventLoopDelay = monitorEventLoopDelay({ resolution: 10 });
eventLoopDelay.enable();
const app = createApp({
  tickets: createPgTicketRepository(pool),
  comments: createPgCommentRepository(pool),
  users: createPgUserRepository(pool),
  credentials: createPgCredentialsRepository(pool),
  stats: createPgStatsRepository(pool),
  redis,
  passwords: createPasswordHasher(config.bcryptCost),
  tokens: createTokenService(loadJwtSecret(), config.token),
  logger,
  config,
  eventLoopDelay,
  lifecycle: createLifecycle(),
  dependencies: [postgresCheck(pool), redisCheck(redis)],
  idempotency: createPgIdempotencyStore(pool),
  metrics: createMetrics({ poolStats: () => poolStats(pool) }),
  features: { logging: process.env.LAB_LOGGING !== 'off' },
});
createServer(app).listen(config.port, () => {
  logger.info({ event: 'server.listening', port: config.port }); // the harness waits for it
});
