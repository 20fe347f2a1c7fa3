// The stage's server as src/server.ts wires it, with some middleware switched off through
// createApp's `features` (LAB_OFF=logging,helmet,metrics): lab:stack-cost runs one per variant.
// A lab file, not src/: the real server always runs with everything on.
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
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
const off = new Set((process.env.LAB_OFF ?? '').split(',').filter(Boolean));
const pool = createPool(config.databaseUrl, { max: config.databasePoolMax });
const redis = createRedisClient({ ...config.redis, onError: () => {} });
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
  // To /dev/null, synchronously: what pino costs (serialise, redact, write(2)), without the lab
  // harness's own cost of collecting a child's stdout into a string.
  logger: createLogger(config.log, pino.destination({ dest: '/dev/null', sync: true })),
  config,
  eventLoopDelay,
  lifecycle: createLifecycle(),
  dependencies: [postgresCheck(pool), redisCheck(redis)],
  idempotency: createPgIdempotencyStore(pool),
  metrics: createMetrics({ poolStats: () => poolStats(pool) }),
  features: {
    logging: !off.has('logging'),
    helmet: !off.has('helmet'),
    metrics: !off.has('metrics'),
  },
});
createServer(app).listen(config.port);
