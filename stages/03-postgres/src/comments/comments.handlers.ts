import type { RequestHandler } from 'express';
import { sendData, sendPage } from '../http/respond.ts';
import { parseCommentListQuery } from './comments.list-query.ts';
import type { CommentService } from './comments.service.ts';
import { validateNewComment } from './comments.validation.ts';

type TicketHandler = RequestHandler<{ id: string }>;

export interface CommentHandlers {
  list: TicketHandler;
  get: RequestHandler<{ id: string; commentId: string }>;
  create: TicketHandler;
}

export function createCommentHandlers(service: CommentService): CommentHandlers {
  return {
    async list(req, res) {
      const page = parseCommentListQuery(req.query);
      const { items, total, totalExact, hasMore } = await service.list(req.params.id, page);
      const totalPages = Math.ceil(total / page.pageSize);
      sendPage(res, items, { ...page, total, totalExact, totalPages, hasMore });
    },

    async get(req, res) {
      sendData(res, 200, await service.get(req.params.id, req.params.commentId));
    },

    async create(req, res) {
      const body = validateNewComment(req.body);
      const comment = await service.add(req.params.id, res.locals.user, body);
      sendData(res, 201, comment, {
        Location: `${req.baseUrl}/tickets/${comment.ticketId}/comments/${comment.id}`,
      });
    },
  };
}
