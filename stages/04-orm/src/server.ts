import { createServer } from 'node:http';
import { Server as NetServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDataLayer } from './db/data-layer.ts';
import { EVENT_LOOP_RESOLUTION_MS } from './system/system.routes.ts';

const config = loadConfig();
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

// One pool for the whole process: every repository borrows its connections from it. Which
// repositories, DATA_LAYER says (pg by default; prisma and typeorm implement the same contract).
const data = await openDataLayer(config.dataLayer, config.databaseUrl, {
  max: config.databasePoolMax,
  statementTimeoutMillis: config.databaseStatementTimeoutMs,
  lockTimeoutMillis: config.databaseLockTimeoutMs,
  onIdleError: (error) => logger.error('[db] an idle connection failed:', error.message),
});

const app = createApp({
  // Stage 02 built an in-memory repository here, stage 03 the pg ones: swapping them again is
  // all that running the API on an ORM took. Nothing above the repositories changed.
  tickets: data.tickets,
  comments: data.comments,
  users: data.users,
  logger,
  config,
  eventLoopDelay,
});

// requestTimeout bounds how long a (slow or malicious) client may take to send one request.
const server = createServer({ requestTimeout: 30_000 }, app);
server.listen(config.port, () => {
  logger.info(`Stage 04 (DATA_LAYER=${data.name}) listening on http://localhost:${config.port}`);
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
  logger.info(`${signal}: closing the server, then the database pool`);
  shuttingDown = true;
  // Not server.close(): it also destroys every keep-alive connection idle at this instant, one
  // whose next request already waits unread in its buffer included, and TCP answers that
  // request with a reset (stage 10's README measures it). net.Server's close stops only the
  // listener; a connection still silent a second later has nothing to send, and is closed then.
  setTimeout(() => server.closeIdleConnections(), 1000).unref();
  NetServer.prototype.close.call(server, () => {
    data.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('Closing the database pool failed:', error);
        process.exit(1);
      },
    );
  });
}
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
