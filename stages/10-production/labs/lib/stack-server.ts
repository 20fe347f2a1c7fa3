// The stage's server as src/server.ts wires it, with some middleware switched off through
// createApp's `features` (LAB_OFF=logging,helmet,metrics): lab:stack-cost runs one per variant.
// LAB_ALS=1 runs each request inside AsyncLocalStorage even with logging off (its share alone).
// LAB_DATA=memory swaps PostgreSQL and Redis for stage 08's in-memory fakes (test/fakes: the same
// fakes the unit tests use, which pass the same contract tests as pg and Redis), so the lab can
// weigh the middleware against stage 02, which also serves from memory, apart from the database.
// A lab file, not src/: the real server always runs with everything on, on real PostgreSQL.
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
import { runWithLogger } from '../../src/logging/request-context.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { createPgStatsRepository } from '../../src/stats/stats.repository.pg.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { createPgUserRepository } from '../../src/users/users.repository.pg.ts';
import { createFakeDataLayer } from '../../test/fakes/fake-data-layer.ts';

const config = loadConfig();
const off = new Set((process.env.LAB_OFF ?? '').split(',').filter(Boolean));
const pool = createPool(config.databaseUrl, { max: config.databasePoolMax });
const redis = createRedisClient({ ...config.redis, onError: () => {} });
const data =
  process.env.LAB_DATA === 'memory'
    ? createFakeDataLayer()
    : {
        tickets: createPgTicketRepository(pool),
        comments: createPgCommentRepository(pool),
        users: createPgUserRepository(pool),
        credentials: createPgCredentialsRepository(pool),
        redis,
      };
// JSON lines to stdout as in production (the lab sets no NODE_ENV, which would mean development
// and pino-pretty in a worker thread): stage 02, the baseline, also writes its lines to stdout.
const logger = createLogger({ ...config.log, pretty: false });
const eventLoopDelay = monitorEventLoopDelay({ resolution: 10 });
eventLoopDelay.enable();
const app = createApp({
  tickets: data.tickets,
  comments: data.comments,
  users: data.users,
  credentials: data.credentials,
  stats: createPgStatsRepository(pool), // not on the measured route
  redis: data.redis,
  passwords: createPasswordHasher(config.bcryptCost),
  tokens: createTokenService(loadJwtSecret(), config.token),
  logger,
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
const quiet = pino({ enabled: false });
createServer(
  process.env.LAB_ALS === '1' ? (req, res) => runWithLogger(quiet, () => app(req, res)) : app,
).listen(config.port, () => {
  logger.info({ event: 'server.listening', port: config.port }); // the harness waits for it
});
