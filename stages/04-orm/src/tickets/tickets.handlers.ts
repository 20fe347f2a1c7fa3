import type { RequestHandler } from 'express';
import { sendCacheable, sendData, sendNoContent, sendPage } from '../http/respond.ts';
import { pageMeta, parseTicketListQuery } from './tickets.list-query.ts';
import { COMMENTS_PER_TICKET } from './tickets.search.ts';
import type { TicketService } from './tickets.service.ts';
import { validateCreateTicket, validateUpdateTicket } from './tickets.validation.ts';

type IdHandler = RequestHandler<{ id: string }>;

export interface TicketHandlers {
  create: RequestHandler;
  list: RequestHandler;
  get: IdHandler;
  update: IdHandler;
  remove: IdHandler;
  resolve: IdHandler;
}

// LESSON: a handler is HTTP in, HTTP out: read params, query and body, call the service, choose
// status and headers. No rules, no storage. And no try/catch: Express 5 passes a rejected
// promise to the error handler, so a handler just `await`s and lets errors fly.
export function createTicketHandlers(service: TicketService): TicketHandlers {
  return {
    async create(req, res) {
      const ticket = await service.create(res.locals.user, validateCreateTicket(req.body));
      // 201 + Location: "it exists now, and this is where it lives". req.baseUrl is where app.ts
      // mounted this router, so the prefix stays in one place.
      sendData(res, 201, ticket, { Location: `${req.baseUrl}/tickets/${ticket.id}` });
    },

    async list(req, res) {
      const { include, ...query } = parseTicketListQuery(req.query);
      if (include === 'comments') {
        const page = await service.listWithComments(query);
        // Says that `comments` holds at most this many (the newest); `commentCount` has them all.
        const meta = { ...pageMeta(query, page), commentsPerTicket: COMMENTS_PER_TICKET };
        return sendPage(res, page.items, meta);
      }
      const page = await service.list(query);
      sendPage(res, page.items, pageMeta(query, page));
    },

    async get(req, res) {
      sendCacheable(res, await service.get(req.params.id));
    },

    async update(req, res) {
      const changes = validateUpdateTicket(req.body);
      sendData(res, 200, await service.update(req.params.id, changes, res.locals.user));
    },

    async remove(req, res) {
      await service.remove(req.params.id, res.locals.user);
      sendNoContent(res);
    },

    // An action, not a field: POST /tickets/:id/resolve says what happened (and records it),
    // where PATCH { status } only says what the ticket looks like now.
    async resolve(req, res) {
      sendData(res, 200, await service.resolve(req.params.id, res.locals.user));
    },
  };
}
