import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { User } from '@backend-path/shared/domain/users';
import { BusinessRuleError, ConflictError, NotFoundError } from '../errors.ts';
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
  list(query: TicketSearch): Promise<TicketPage>;
  /** The same page, each ticket with its comments. */
  listWithComments(query: TicketSearch): Promise<TicketWithCommentsPage>;
  get(id: string): Promise<Ticket>;
  update(id: string, changes: TicketChanges): Promise<Ticket>;
  remove(id: string): Promise<void>;
  resolve(id: string, caller: User): Promise<Ticket>;
}

function ticketNotFound(id: string): NotFoundError {
  return new NotFoundError(`Ticket ${id} does not exist.`);
}

// LESSON: the service holds the rules of the business. It knows tickets, users and errors; it
// does not know HTTP (no req, no res, no headers) nor where tickets are stored (the repository
// does). So a CLI, a queue worker or a test can call it, and stage 03 can change the storage.
export function createTicketService(tickets: SearchableTicketRepository): TicketService {
  return {
    async create(caller, fields) {
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

    async list(query) {
      return tickets.list(query);
    },

    async listWithComments(query) {
      return tickets.listWithComments(query);
    },

    async get(id) {
      const ticket = await tickets.findById(id);
      if (!ticket) throw ticketNotFound(id);
      return ticket;
    },

    async update(id, changes) {
      const ticket = await tickets.update(id, changes);
      if (!ticket) throw ticketNotFound(id);
      return ticket;
    },

    async remove(id) {
      if (!(await tickets.remove(id))) throw ticketNotFound(id);
    },

    async resolve(id, caller) {
      const ticket = await tickets.findById(id);
      if (!ticket) throw ticketNotFound(id);
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
