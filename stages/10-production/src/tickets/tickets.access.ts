import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { User } from '@backend-path/shared/domain/users';
import type { TicketSearch } from './tickets.search.ts';

// LESSON: Broken Object Level Authorization (OWASP API1) is a valid token asking for SOMEONE
// ELSE's row by id. The role check (authorize) cannot catch it; every lookup must. Staff see
// every ticket of their account, a customer only the tickets they opened. What a caller may
// not see does not exist for them: 404, never 403, which would confirm the id is real.
export function canSee(caller: User, ticket: Ticket): boolean {
  if (ticket.accountId !== caller.accountId) return false;
  return caller.role !== 'customer' || ticket.createdBy === caller.id;
}

/** The same rule as list filters: the database returns only rows the caller may see. */
export function visibleTo(caller: User): Pick<TicketSearch, 'accountId' | 'createdBy'> {
  return caller.role === 'customer'
    ? { accountId: caller.accountId, createdBy: caller.id }
    : { accountId: caller.accountId };
}
