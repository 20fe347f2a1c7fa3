import express, { type Express } from 'express';
import { authRoutes } from './auth/auth.router.ts';
import { createAuthService } from './auth/auth.service.ts';
import type { CredentialsRepository } from './auth/credentials.repository.pg.ts';
import type { PasswordHasher } from './auth/passwords.ts';
import type { TokenService } from './auth/tokens.ts';
import type { CommentRepository } from './comments/comments.repository.pg.ts';
import { commentRoutes } from './comments/comments.router.ts';
import type { Config } from './config.ts';
import { accessLog } from './middleware/access-log.ts';
import { authenticate } from './middleware/authenticate.ts';
import { corsPolicy } from './middleware/cors.ts';
import { errorHandler } from './middleware/error-handler.ts';
import { jsonBody } from './middleware/json-body.ts';
import { notFound } from './middleware/not-found.ts';
import { requestId } from './middleware/request-id.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { type EventLoopDelay, systemRoutes } from './system/system.routes.ts';
import { ticketRoutes } from './tickets/tickets.router.ts';
import type { SearchableTicketRepository } from './tickets/tickets.search.ts';
import type { UserLookup } from './users/users.lookup.ts';
import { userRoutes } from './users/users.router.ts';
import { createUserService } from './users/users.service.ts';

export type Logger = Pick<Console, 'info' | 'error'>;

/**
 * Everything the app needs from outside: tests pass their own (a failing repository, a fake logger).
 */
export interface AppDeps {
  tickets: SearchableTicketRepository;
  comments: CommentRepository;
  users: UserLookup;
  credentials: CredentialsRepository;
  passwords: PasswordHasher;
  tokens: TokenService;
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
  // Attached per route, not here: health, metrics, login and sign-up need no token.
  const caller = authenticate(deps.tokens, deps.credentials);
  app.use(
    '/api/v1', // 5. the routes; the version prefix lives here, in one place
    authRoutes(createAuthService(deps.credentials, deps.passwords, deps.tokens), caller),
    userRoutes(createUserService(deps.credentials, deps.passwords), caller),
    ticketRoutes(deps.tickets, deps.users, caller),
    commentRoutes(deps.tickets, deps.comments, caller),
    reportRoutes(config, caller),
    systemRoutes(deps.eventLoopDelay, caller),
  );
  app.use(notFound()); // 6. nothing above answered: 404 in our envelope, not Express's HTML
  app.use(errorHandler(logger)); // 7. last: every error from 1-6 ends here
  return app;
}
