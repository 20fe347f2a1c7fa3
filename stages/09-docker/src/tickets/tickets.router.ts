import { type RequestHandler, Router } from 'express';
import { authorize } from '../middleware/authorize.ts';
import { requireJson } from '../middleware/json-body.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validIds } from '../middleware/valid-ids.ts';
import type { UserLookup } from '../users/users.lookup.ts';
import { createTicketHandlers } from './tickets.handlers.ts';
import type { SearchableTicketRepository } from './tickets.search.ts';
import { createTicketService } from './tickets.service.ts';

/** The ticket routes, relative to where app.ts mounts them (`/api/v1`). */
export function ticketRoutes(
  tickets: SearchableTicketRepository,
  users: UserLookup,
  caller: RequestHandler,
): Router {
  const handlers = createTicketHandlers(createTicketService(tickets, users));
  // Route-level middleware runs only for the method it is attached to, in order: who is asking
  // (401), then may their role do this (403), then which ticket (400 INVALID_ID), then what
  // they sent (415), then the handler. OPTIONS and 405 need no caller.
  const staff = authorize('agent', 'admin');
  const ids = validIds();
  const json = requireJson();
  const router = Router();

  router
    .route('/tickets')
    .get(caller, handlers.list)
    .post(caller, json, handlers.create)
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/tickets/:id')
    .get(caller, ids, handlers.get)
    .patch(caller, staff, ids, json, handlers.update)
    .delete(caller, authorize('admin'), ids, handlers.remove)
    .all(methodNotAllowed(['GET', 'PATCH', 'DELETE']));
  router
    .route('/tickets/:id/resolve')
    .post(caller, staff, ids, handlers.resolve)
    .all(methodNotAllowed(['POST']));

  return router;
}
