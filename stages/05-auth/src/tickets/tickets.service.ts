import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { User } from '@backend-path/shared/domain/users';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../errors.ts';
import type { UserLookup } from '../users/users.lookup.ts';
import { canSee, visibleTo } from './tickets.access.ts';
import type { TicketChanges, TicketPage } from './tickets.repository.ts';
import type {
  SearchableTicketRepository,
  TicketSearch,
  TicketWithCommentsPage,
} from './tickets.search.ts';
import type { CreateTicketFields } from './tickets.validation.ts';

/** How many `open` tickets one user may have at a time. */
export const MAX_OPEN_TICKETS_PER_USER = 10;

export interface TicketService {
  create(caller: User, fields: CreateTicketFields): Promise<Ticket>;
  list(query: TicketSearch, caller: User): Promise<TicketPage>;
  /** The same page, each ticket with its comments. */
  listWithComments(query: TicketSearch, caller: User): Promise<TicketWithCommentsPage>;
  get(id: string, caller: User): Promise<Ticket>;
  update(id: string, changes: TicketChanges, caller: User): Promise<Ticket>;
  remove(id: string, caller: User): Promise<void>;
  resolve(id: string, caller: User): Promise<Ticket>;
}

function ticketNotFound(id: string): NotFoundError {
  return new NotFoundError(`Ticket ${id} does not exist.`);
}

// LESSON: the service holds the rules of the business. It knows tickets, users and errors; it
// does not know HTTP (no req, no res, no headers) nor where tickets are stored (the repository
// does). So a CLI, a queue worker or a test can call it, and stage 03 can change the storage.
export function createTicketService(
  tickets: SearchableTicketRepository,
  users: UserLookup,
): TicketService {
  // Another account's ticket, or another customer's: 404 with the same message as a missing one.
  async function visible(id: string, caller: User): Promise<Ticket> {
    const ticket = await tickets.findById(id);
    if (!ticket || !canSee(caller, ticket)) throw ticketNotFound(id);
    return ticket;
  }

  // Tickets are assigned to agents of the caller's own account, and only staff assign.
  async function checkAssignee(assigneeId: string | null | undefined, caller: User) {
    if (assigneeId === undefined || assigneeId === null) return;
    if (caller.role === 'customer') throw new ForbiddenError('Only agents and admins assign.');
    const assignee = await users.findById(assigneeId);
    if (assignee?.accountId !== caller.accountId || assignee.role !== 'agent') {
      throw new ValidationError({ assigneeId: 'Assignee must be an agent of your account.' });
    }
  }

  return {
    async create(caller, fields) {
      await checkAssignee(fields.assigneeId, caller);
      // Check, then create. Now that the count is a database round trip, two requests at the
      // same instant can both pass the check; exercise 8 in README.md closes that gap.
      const open = await tickets.countOpenByCreator(caller.id);
      if (open >= MAX_OPEN_TICKETS_PER_USER) {
        throw new BusinessRuleError(
          `You already have ${open} open tickets; the limit is ${MAX_OPEN_TICKETS_PER_USER}. ` +
            'Resolve one before opening another.',
        );
      }
      return tickets.create({ ...fields, accountId: caller.accountId, createdBy: caller.id });
    },

    async list(query, caller) {
      return tickets.list({ ...query, ...visibleTo(caller) });
    },

    async listWithComments(query, caller) {
      return tickets.listWithComments({ ...query, ...visibleTo(caller) });
    },

    async get(id, caller) {
      return visible(id, caller);
    },

    // A ticket never changes account, so checking before writing leaves no gap to race through.
    async update(id, changes, caller) {
      await visible(id, caller);
      await checkAssignee(changes.assigneeId, caller);
      const ticket = await tickets.update(id, changes);
      if (!ticket) throw ticketNotFound(id);
      return ticket;
    },

    async remove(id, caller) {
      await visible(id, caller);
      if (!(await tickets.remove(id))) throw ticketNotFound(id);
    },

    async resolve(id, caller) {
      const ticket = await visible(id, caller);
      // 409, not 200: "resolve" is an action, and repeating it would record a second
      // resolution that never happened. The client learns the state it did not know about.
      if (ticket.status === 'resolved' || ticket.status === 'closed') {
        throw new ConflictError(`Ticket ${id} is already ${ticket.status}.`);
      }
      const resolved = await tickets.resolve(id, caller.id);
      if (!resolved) throw ticketNotFound(id); // deleted between the two calls
      return resolved;
    },
  };
}
