import { FIXTURE_USER_LIST, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { NotFoundError, ValidationError } from '../errors.ts';
import { sendCacheable, sendData, sendNoContent } from '../http/respond.ts';
import type { Handler } from '../http/router.ts';
import type { TicketStore } from './tickets.store.ts';
import { validateCreateTicket, validateUpdateTicket } from './tickets.validation.ts';

// No users yet: every request acts as Alice, in her account. Stage 02 introduces the caller
// (and stage 05 proves who it is).
const CALLER = FIXTURE_USERS.alice;

export interface TicketHandlers {
  create: Handler;
  list: Handler;
  get: Handler;
  update: Handler;
  remove: Handler;
}

function ticketNotFound(id: string): NotFoundError {
  return new NotFoundError(`Ticket ${id} does not exist.`);
}

/** An assignee must be a user of the ticket's account (every ticket here is Alice's account's). */
function checkAssignee(assigneeId: string | null | undefined): void {
  const assignee = FIXTURE_USER_LIST.find((user) => user.id === assigneeId);
  if (assignee !== undefined && assignee.accountId !== CALLER.accountId) {
    throw new ValidationError({ assigneeId: "must be a user of the ticket's account" });
  }
}

/** `prefix`: where the routes live, so Location points at the route that serves the ticket. */
export function createTicketHandlers(store: TicketStore, prefix: string): TicketHandlers {
  return {
    async create({ res, body }) {
      const fields = validateCreateTicket(body);
      checkAssignee(fields.assigneeId);
      const ticket = await store.create({
        ...fields,
        accountId: CALLER.accountId,
        createdBy: CALLER.id,
      });
      // 201 + Location: "it exists now, and this is where it lives".
      sendData(res, 201, ticket, { Location: `${prefix}/tickets/${ticket.id}` });
    },

    async list({ res }) {
      sendData(res, 200, await store.list());
    },

    async get({ req, res, params: { id = '' } }) {
      const ticket = await store.findById(id);
      if (!ticket) throw ticketNotFound(id);
      sendCacheable(req, res, ticket);
    },

    async update({ res, params: { id = '' }, body }) {
      const changes = validateUpdateTicket(body);
      checkAssignee(changes.assigneeId);
      const ticket = await store.update(id, changes);
      if (!ticket) throw ticketNotFound(id);
      sendData(res, 200, ticket);
    },

    async remove({ res, params: { id = '' } }) {
      if (!(await store.remove(id))) throw ticketNotFound(id);
      sendNoContent(res);
    },
  };
}
