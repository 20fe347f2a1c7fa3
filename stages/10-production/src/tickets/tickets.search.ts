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

/** `?include=comments` carries each ticket's newest comments, never all: a list stays bounded. */
export const COMMENTS_PER_TICKET = 5;

/** The newest COMMENTS_PER_TICKET comments (oldest first among them) and how many there are. */
export interface TicketWithRecentComments extends TicketWithComments {
  commentCount: number;
}

export interface TicketWithCommentsPage {
  items: TicketWithRecentComments[];
  total: number;
}

export interface SearchableTicketRepository extends TicketRepository {
  list(query: TicketSearch): Promise<TicketPage>;
  /** GET /tickets?include=comments: one query, however many tickets the page holds; each
   * ticket with its newest COMMENTS_PER_TICKET comments and its comment count. */
  listWithComments(query: TicketSearch): Promise<TicketWithCommentsPage>;
}
