import type { RequestHandler } from 'express';
import { sendData } from '../http/respond.ts';
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
      sendData(res, 200, await service.list(req.params.id));
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
