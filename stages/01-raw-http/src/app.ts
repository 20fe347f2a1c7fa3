import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AppError, InternalError, MethodNotAllowedError, NotFoundError } from './errors.ts';
import { readJsonBody } from './http/body.ts';
import { applyCors, sendOptions } from './http/cors.ts';
import { sendError } from './http/respond.ts';
import { createRouter, splitUrl } from './http/router.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { type EventLoopDelay, systemRoutes } from './system/system.routes.ts';
import { ticketRoutes } from './tickets/tickets.routes.ts';
import type { TicketStore } from './tickets/tickets.store.ts';

export type Logger = Pick<Console, 'info' | 'error'>;

/** Everything the app needs from outside: tests pass their own (a throwing store, a fake logger). */
export interface AppDeps {
  store: TicketStore;
  logger: Logger;
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
  reportSize: number;
  reportWorkers: number;
  reportQueueLength: number;
  eventLoopDelay: EventLoopDelay;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** Every route lives under this version prefix; this is its one definition. */
export const API_PREFIX = '/api/v1';

export function createApp(deps: AppDeps): RequestListener {
  const router = createRouter([
    ...ticketRoutes(deps.store, API_PREFIX),
    ...reportRoutes(API_PREFIX, deps),
    ...systemRoutes(API_PREFIX, deps.eventLoopDelay),
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const { pathname, query } = splitUrl(req.url ?? '/');
    const match = router.match(method, pathname);
    applyCors(req, res, deps.corsOrigins); // before any answer, so browsers can read errors too
    if (match.kind === 'not-found') throw new NotFoundError(`No route for ${pathname}.`);
    if (match.kind === 'options') return sendOptions(req, res, match.allow, deps.corsOrigins);
    if (match.kind === 'method-not-allowed') throw new MethodNotAllowedError(method, match.allow);
    const body = METHODS_WITH_BODY.has(method)
      ? await readJsonBody(req, deps.bodyLimitBytes)
      : undefined;
    await match.handler({ req, res, params: match.params, query, body });
  }

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy(); // too late for a clean error: cut the connection so the client notices
    } else if (error instanceof AppError) {
      sendError(res, error);
    } else {
      // A bug, not a client mistake: full detail to the log, nothing internal to the client.
      deps.logger.error(`${req.method} ${req.url} failed:`, error);
      sendError(res, new InternalError());
    }
  }

  return (req, res) => {
    const started = performance.now();
    res.once('finish', () => {
      const ms = (performance.now() - started).toFixed(1);
      deps.logger.info(`${req.method} ${req.url} ${res.statusCode} ${ms}ms`);
    });
    // LESSON: node:http ignores the promise this listener returns. A rejection nobody catches
    // leaves the client hanging and (since Node 15) crashes the process — so catch it here,
    // once, and turn it into a response. Express 5 (stage 02) does exactly this for you.
    handle(req, res).catch((error: unknown) => fail(req, res, error));
  };
}
