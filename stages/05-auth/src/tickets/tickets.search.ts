import type { TicketWithComments } from '@backend-path/shared/domain/comments';
import type { TicketListQuery, TicketPage, TicketRepository } from './tickets.repository.ts';

// What stage 03 adds to stage 02's repository contract (tickets.repository.ts is carried
// unchanged): a subject search, account scoping, and tickets with their comments in one query.

export interface TicketSearch extends TicketListQuery {
  /** Only this account's tickets (from stage 05 on, the caller's account). */
  accountId?: string;
  /** Only tickets this user opened (a customer's view, stage 05). */
  createdBy?: string;
  /** Case-insensitive substring of the subject; `%`, `_` and `\` match themselves. */
  q?: string;
}

export interface TicketWithCommentsPage {
  items: TicketWithComments[];
  total: number;
}

export interface SearchableTicketRepository extends TicketRepository {
  list(query: TicketSearch): Promise<TicketPage>;
  /** GET /tickets?include=comments: one query, however many tickets the page holds. */
  listWithComments(query: TicketSearch): Promise<TicketWithCommentsPage>;
}
