import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { User } from '@backend-path/shared/domain/users';
import { BusinessRuleError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { UserLookup } from '../users/users.lookup.ts';
import type { TicketChanges } from './tickets.repository.ts';
import type {
  SearchableTicketRepository,
  SearchTicketPage,
  TicketSearch,
  TicketWithCommentsPage,
} from './tickets.search.ts';
import type { CreateTicketFields } from './tickets.validation.ts';

/** How many `open` tickets one user may have at a time. */
export const MAX_OPEN_TICKETS_PER_USER = 10;

export interface TicketService {
  create(caller: User, fields: CreateTicketFields): Promise<Ticket>;
  list(query: TicketSearch): Promise<SearchTicketPage>;
  /** The same page, each ticket with its comments. */
  listWithComments(query: TicketSearch): Promise<TicketWithCommentsPage>;
  get(id: string): Promise<Ticket>;
  update(id: string, changes: TicketChanges, caller: User): Promise<Ticket>;
  remove(id: string, caller: User): Promise<void>;
  resolve(id: string, caller: User): Promise<Ticket>;
}

function ticketNotFound(id: string): NotFoundError {
  return new NotFoundError(`Ticket ${id} does not exist.`);
}

/** `whoHas`: "You already have" (create) or "Its creator already has" (reopen). */
function openLimitReached(whoHas: string, open: number): BusinessRuleError {
  return new BusinessRuleError(
    `${whoHas} ${open} open tickets; the limit is ${MAX_OPEN_TICKETS_PER_USER}. ` +
      'Resolve one before opening another.',
  );
}

// LESSON: the service holds the rules of the business. It knows tickets, users and errors; it
// does not know HTTP (no req, no res, no headers) nor where tickets are stored (the repository
// does). So a CLI, a queue worker or a test can call it, and stage 03 can change the storage.
export function createTicketService(
  tickets: SearchableTicketRepository,
  users: UserLookup,
): TicketService {
  /** An assignee must be a user of the ticket's own account: 422 on assigneeId otherwise. */
  async function checkAssignee(assigneeId: string | null | undefined, accountId: string) {
    if (assigneeId === null || assigneeId === undefined) return;
    const assignee = await users.findById(assigneeId);
    // An id that names no user at all is not this rule's business (stage 03: the foreign key).
    if (assignee !== null && assignee.accountId !== accountId) {
      throw new ValidationError({ assigneeId: "must be a user of the ticket's account" });
    }
  }

  return {
    async create(caller, fields) {
      await checkAssignee(fields.assigneeId, caller.accountId);
      // The limit is checked by the repository in the same step as the INSERT (under a lock on
      // the creator in PostgreSQL): checked here first, two requests at once could both pass.
      const created = await tickets.create(
        { ...fields, accountId: caller.accountId, createdBy: caller.id },
        MAX_OPEN_TICKETS_PER_USER,
      );
      if ('refused' in created) throw openLimitReached('You already have', created.open);
      return created;
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

    async update(id, changes, caller) {
      // Resolving is an action with its own rules (not twice, not once closed) and its own
      // activity row: PATCH must not be a way around them.
      if (changes.status === 'resolved') {
        throw new ValidationError(
          { status: 'use POST /api/v1/tickets/:id/resolve to resolve a ticket' },
          'A ticket is resolved with its action, POST /api/v1/tickets/:id/resolve.',
        );
      }
      if (changes.assigneeId) {
        const current = await tickets.findById(id);
        if (!current) throw ticketNotFound(id);
        await checkAssignee(changes.assigneeId, current.accountId);
      }
      const updated = await tickets.update(id, changes, {
        actorId: caller.id,
        maxOpen: MAX_OPEN_TICKETS_PER_USER,
      });
      if (!updated) throw ticketNotFound(id);
      // Reopening counts toward the creator's limit, like creating.
      if ('refused' in updated) throw openLimitReached('Its creator already has', updated.open);
      return updated;
    },

    async remove(id, caller) {
      if (!(await tickets.remove(id, caller.id))) throw ticketNotFound(id);
    },

    async resolve(id, caller) {
      const resolved = await tickets.resolve(id, caller.id);
      if (!resolved) throw ticketNotFound(id);
      // 409, not 200: "resolve" is an action, and repeating it would record a second
      // resolution that never happened. The client learns the state it did not know about.
      // The repository checks the status under the row lock: of two resolves at once, one wins.
      if ('refused' in resolved) {
        throw new ConflictError(`Ticket ${id} is already ${resolved.status}.`);
      }
      return resolved;
    },
  };
}
