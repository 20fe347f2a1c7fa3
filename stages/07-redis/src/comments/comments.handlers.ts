import type { RequestHandler } from 'express';
import { sendData, sendPage } from '../http/respond.ts';
import { validated } from '../middleware/validate.ts';
import { TicketIdParamsSchema } from '../tickets/tickets.schemas.ts';
import {
  CommentIdParamsSchema,
  CommentListQuerySchema,
  NewCommentBodySchema,
} from './comments.schemas.ts';
import type { CommentService } from './comments.service.ts';

/** What each route validates: the router hands these to validate(), handlers read them typed. */
export const COMMENT_ROUTES = {
  list: { params: TicketIdParamsSchema, query: CommentListQuerySchema },
  get: { params: CommentIdParamsSchema },
  create: { params: TicketIdParamsSchema, body: NewCommentBodySchema },
};

export interface CommentHandlers {
  list: RequestHandler;
  get: RequestHandler;
  create: RequestHandler;
}

export function createCommentHandlers(service: CommentService): CommentHandlers {
  return {
    async list(_req, res) {
      const { params, query: page } = validated(res, COMMENT_ROUTES.list);
      const { items, total, totalExact, hasMore } = await service.list(
        params.id,
        page,
        res.locals.user,
      );
      const totalPages = Math.ceil(total / page.pageSize);
      sendPage(res, items, { ...page, total, totalExact, totalPages, hasMore });
    },

    async get(_req, res) {
      const { id, commentId } = validated(res, COMMENT_ROUTES.get).params;
      sendData(res, 200, await service.get(id, commentId, res.locals.user));
    },

    async create(req, res) {
      const { params, body } = validated(res, COMMENT_ROUTES.create);
      const comment = await service.add(params.id, res.locals.user, body.body);
      sendData(res, 201, comment, {
        Location: `${req.baseUrl}/tickets/${comment.ticketId}/comments/${comment.id}`,
      });
    },
  };
}
