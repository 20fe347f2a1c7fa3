import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { RequestHandler } from 'express';
import { setCacheHeader } from '../cache/cached-tickets.ts';
import type { PageMeta } from '../http/envelope.schemas.ts';
import { sendCacheable, sendData, sendNoContent, sendPage } from '../http/respond.ts';
import { validated } from '../middleware/validate.ts';
import { encodeCursor } from './tickets.cursor.ts';
import { TicketListQuerySchema } from './tickets.query.schemas.ts';
import type { TicketListQuery } from './tickets.repository.ts';
import {
  CreateTicketBodySchema,
  TicketIdParamsSchema,
  UpdateTicketBodySchema,
} from './tickets.schemas.ts';
import { type BoundedCount, COMMENTS_PER_TICKET } from './tickets.search.ts';
import type { TicketService } from './tickets.service.ts';

/** What each route validates: the router hands these to validate(), handlers read them typed. */
export const TICKET_ROUTES = {
  list: { query: TicketListQuerySchema },
  create: { body: CreateTicketBodySchema },
  byId: { params: TicketIdParamsSchema },
  update: { params: TicketIdParamsSchema, body: UpdateTicketBodySchema },
};

export interface TicketHandlers {
  create: RequestHandler;
  list: RequestHandler;
  get: RequestHandler;
  update: RequestHandler;
  remove: RequestHandler;
  resolve: RequestHandler;
}

/** `list.items`: the page's tickets, newest first; `hasMore`: whether any follow the last one. */
function pageMeta(
  { page, pageSize, after }: TicketListQuery,
  list: BoundedCount & { items: readonly Pick<Ticket, 'createdAt' | 'id'>[] },
): PageMeta {
  const last = list.hasMore ? list.items.at(-1) : undefined;
  return {
    page: after ? null : page,
    pageSize,
    total: list.total,
    totalExact: list.totalExact,
    totalPages: Math.ceil(list.total / pageSize),
    hasMore: list.hasMore,
    nextCursor: last ? encodeCursor(last) : null,
  };
}

// LESSON: a handler is HTTP in, HTTP out: read params, query and body, call the service, choose
// status and headers. No rules, no storage. And no try/catch: Express 5 passes a rejected
// promise to the error handler, so a handler just `await`s and lets errors fly.
export function createTicketHandlers(service: TicketService): TicketHandlers {
  return {
    async create(req, res) {
      const { body } = validated(res, TICKET_ROUTES.create);
      const ticket = await service.create(res.locals.user, body);
      // 201 + Location: "it exists now, and this is where it lives". req.baseUrl is where app.ts
      // mounted this router, so the prefix stays in one place.
      sendData(res, 201, ticket, { Location: `${req.baseUrl}/tickets/${ticket.id}` });
    },

    async list(_req, res) {
      const { include, ...query } = validated(res, TICKET_ROUTES.list).query;
      if (include === 'comments') {
        const { cache, ...page } = await service.listWithComments(query, res.locals.user);
        setCacheHeader(res, { cache });
        // Says that `comments` holds at most this many (the newest); `commentCount` has them all.
        const meta = { ...pageMeta(query, page), commentsPerTicket: COMMENTS_PER_TICKET };
        return sendPage(res, page.items, meta);
      }
      const { cache, ...page } = await service.list(query, res.locals.user);
      setCacheHeader(res, { cache });
      sendPage(res, page.items, pageMeta(query, page));
    },

    async get(_req, res) {
      const { params } = validated(res, TICKET_ROUTES.byId);
      sendCacheable(res, await service.get(params.id, res.locals.user));
    },

    async update(_req, res) {
      const { params, body } = validated(res, TICKET_ROUTES.update);
      sendData(res, 200, await service.update(params.id, body, res.locals.user));
    },

    async remove(_req, res) {
      await service.remove(validated(res, TICKET_ROUTES.byId).params.id, res.locals.user);
      sendNoContent(res);
    },

    // An action, not a field: POST /tickets/:id/resolve says what happened (and records it),
    // where PATCH { status } only says what the ticket looks like now.
    async resolve(_req, res) {
      const { params } = validated(res, TICKET_ROUTES.byId);
      sendData(res, 200, await service.resolve(params.id, res.locals.user));
    },
  };
}
