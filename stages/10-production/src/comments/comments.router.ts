import { type RequestHandler, Router } from 'express';
import { cachedCommentService } from '../cache/cached-tickets.ts';
import type { QueryCache } from '../cache/query-cache.ts';
import { requireJson } from '../middleware/json-body.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { validate } from '../middleware/validate.ts';
import type { TicketRepository } from '../tickets/tickets.repository.ts';
import { COMMENT_ROUTES, createCommentHandlers } from './comments.handlers.ts';
import type { CommentRepository } from './comments.repository.pg.ts';
import { createCommentService } from './comments.service.ts';

/** A ticket's conversation, relative to `/api/v1`; the same middleware order as the tickets. */
export function commentRoutes(
  tickets: TicketRepository,
  comments: CommentRepository,
  caller: RequestHandler,
  cache: QueryCache,
  /** Idempotency-Key handling (stage 10): after the caller, whom keys are scoped to. */
  keyed: RequestHandler,
): Router {
  const handlers = createCommentHandlers(
    cachedCommentService(createCommentService(tickets, comments), cache),
  );
  const router = Router();

  router
    .route('/tickets/:id/comments')
    .get(caller, validate(COMMENT_ROUTES.list), handlers.list)
    // The key last: a comment refused for its body keeps nothing (tickets.router.ts says why).
    .post(caller, requireJson(), validate(COMMENT_ROUTES.create), keyed, handlers.create)
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/tickets/:id/comments/:commentId')
    .get(caller, validate(COMMENT_ROUTES.get), handlers.get)
    .all(methodNotAllowed(['GET']));

  return router;
}
