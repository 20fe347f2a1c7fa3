import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { EVENT_LOOP_RESOLUTION_MS } from './system/system.routes.ts';
import { createInMemoryTicketStore } from './tickets/tickets.store.ts';

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

const app = createApp({
  store: createInMemoryTicketStore(),
  logger,
  corsOrigins: config.corsOrigins,
  bodyLimitBytes: config.bodyLimitBytes,
  reportSize: config.reportSize,
  reportWorkers: config.reportWorkers,
  reportQueueLength: config.reportQueueLength,
  eventLoopDelay,
});

// requestTimeout bounds how long a (slow or malicious) client may take to send one request.
const server = createServer({ requestTimeout: 30_000 }, app);
server.listen(config.port, () => {
  logger.info(`Stage 01 (raw node:http) listening on http://localhost:${config.port}`);
});
