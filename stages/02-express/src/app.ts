import express, { type Express } from 'express';
import type { Config } from './config.ts';
import { accessLog } from './middleware/access-log.ts';
import { corsPolicy } from './middleware/cors.ts';
import { errorHandler } from './middleware/error-handler.ts';
import { jsonBody } from './middleware/json-body.ts';
import { notFound } from './middleware/not-found.ts';
import { requestId } from './middleware/request-id.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { type EventLoopDelay, systemRoutes } from './system/system.routes.ts';
import type { TicketRepository } from './tickets/tickets.repository.ts';
import { ticketRoutes } from './tickets/tickets.router.ts';
import type { UserLookup } from './users/users.lookup.ts';

export type Logger = Pick<Console, 'info' | 'error'>;

/**
 * Everything the app needs from outside: tests pass their own (a failing repository, a fake logger).
 */
export interface AppDeps {
  tickets: TicketRepository;
  users: UserLookup;
  logger: Logger;
  config: Pick<
    Config,
    'corsOrigins' | 'bodyLimitBytes' | 'reportSize' | 'reportWorkers' | 'reportQueueLength'
  >;
  eventLoopDelay: EventLoopDelay;
}

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  // `X-Powered-By: Express` tells every scanner which exploits to try first.
  app.disable('x-powered-by');
  // Express would put a weak ETag on every body, lists and errors included. We want a strong
  // one on single tickets only (http/respond.ts), where caching is part of the contract.
  app.set('etag', false);

  // LESSON: middleware runs in the order it is registered, and each one either answers or
  // calls next(). So the order is a design decision:
  app.use(requestId()); // 1. first, so everything after it (logs, errors) can name the request
  app.use(accessLog(logger)); // 2. early, to time the whole request and see its final status
  app.use(corsPolicy(config.corsOrigins)); // 3. before anything can fail: errors carry CORS too
  app.use(jsonBody(config.bodyLimitBytes)); // 4. 413 / 400 before any handler runs
  app.use(
    '/api/v1', // 5. the routes; the version prefix lives here, in one place
    ticketRoutes(deps.tickets, deps.users),
    reportRoutes(config),
    systemRoutes(deps.eventLoopDelay),
  );
  app.use(notFound()); // 6. nothing above answered: 404 in our envelope, not Express's HTML
  app.use(errorHandler(logger)); // 7. last: every error from 1-6 ends here
  return app;
}
