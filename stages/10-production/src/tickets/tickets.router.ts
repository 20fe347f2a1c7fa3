import { type RequestHandler, Router } from 'express';
import { cachedTicketService } from '../cache/cached-tickets.ts';
import type { QueryCache } from '../cache/query-cache.ts';
import { authorize } from '../middleware/authorize.ts';
import { requireJson } from '../middleware/json-body.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validate } from '../middleware/validate.ts';
import type { UserLookup } from '../users/users.lookup.ts';
import { createTicketHandlers, TICKET_ROUTES } from './tickets.handlers.ts';
import type { SearchableTicketRepository } from './tickets.search.ts';
import { createTicketService } from './tickets.service.ts';

/** The ticket routes, relative to where app.ts mounts them (`/api/v1`). */
export function ticketRoutes(
  tickets: SearchableTicketRepository,
  users: UserLookup,
  caller: RequestHandler,
  cache: QueryCache,
  /** Idempotency-Key handling (stage 10): after the caller, whom keys are scoped to. */
  keyed: RequestHandler,
): Router {
  const handlers = createTicketHandlers(
    cachedTicketService(createTicketService(tickets, users), cache),
  );
  // Route-level middleware runs only for the method it is attached to, in order: who is asking
  // (401), then may their role do this (403), then what they sent (415), then is it valid
  // (400 INVALID_ID / INVALID_QUERY, 422), then the handler. OPTIONS and 405 need no caller. An
  // Idempotency-Key is claimed last: a request refused before that keeps nothing under its key,
  // and the corrected retry with the same key runs.
  const staff = authorize('agent', 'admin');
  const json = requireJson();
  const { list, create, byId, update } = TICKET_ROUTES;
  const router = Router();

  router
    .route('/tickets')
    .get(caller, validate(list), handlers.list)
    .post(caller, json, validate(create), keyed, handlers.create)
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/tickets/:id')
    .get(caller, validate(byId), handlers.get)
    .patch(caller, staff, json, validate(update), handlers.update)
    .delete(caller, authorize('admin'), validate(byId), handlers.remove)
    .all(methodNotAllowed(['GET', 'PATCH', 'DELETE']));
  router
    .route('/tickets/:id/resolve')
    .post(caller, staff, validate(byId), handlers.resolve)
    .all(methodNotAllowed(['POST']));

  return router;
}
