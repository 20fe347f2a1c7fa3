import type { TicketWithComments } from '@backend-path/shared/domain/comments';
import type { TicketListQuery, TicketPage, TicketRepository } from './tickets.repository.ts';

// What stage 03 adds to stage 02's repository contract (tickets.repository.ts is carried
// unchanged): a subject search, account scoping, tickets with their comments in one query, and
// lists whose total is bounded (stage 02 counted its Map; a table of a million rows is not counted
// on every request).

export interface TicketSearch extends TicketListQuery {
  /** Only this account's tickets (from stage 05 on, the caller's account). */
  accountId?: string;
  /** Case-insensitive substring of the subject; `%`, `_` and `\` match themselves. */
  q?: string;
}

/** `?include=comments` carries each ticket's newest comments, never all: a list stays bounded. */
export const COMMENTS_PER_TICKET = 5;

/** A list's `meta.total` counts at most this many: past it, "1000+" (`totalExact: false`). */
export const COUNT_CAP = 1_000;

/** What every list page says about the rest of the list, without counting all of it. */
export interface BoundedCount {
  /** Matching rows, counted up to COUNT_CAP. */
  total: number;
  /** false when more than COUNT_CAP match: `total` is then COUNT_CAP, a lower bound. */
  totalExact: boolean;
  /** Whether the list goes on after the page's last item (the page read one row more). */
  hasMore: boolean;
}

/**
 * The page from `rows` — read with LIMIT pageSize + 1: the extra row only says there is more —
 * and from `counted`, a count stopped at COUNT_CAP + 1 (tickets.sql.ts, countedRows).
 */
export function boundedPage<T>(rows: T[], pageSize: number, counted: number) {
  return {
    items: rows.slice(0, pageSize),
    total: Math.min(counted, COUNT_CAP),
    totalExact: counted <= COUNT_CAP,
    hasMore: rows.length > pageSize,
  };
}

/** A page of tickets, its bounded total, and whether more follow. */
export interface SearchTicketPage extends TicketPage, BoundedCount {}

/** The newest COMMENTS_PER_TICKET comments (oldest first among them) and how many there are. */
export interface TicketWithRecentComments extends TicketWithComments {
  commentCount: number;
}

export interface TicketWithCommentsPage extends BoundedCount {
  items: TicketWithRecentComments[];
}

export interface SearchableTicketRepository extends TicketRepository {
  list(query: TicketSearch): Promise<SearchTicketPage>;
  /** GET /tickets?include=comments: one query, however many tickets the page holds; each
   * ticket with its newest COMMENTS_PER_TICKET comments and its comment count. */
  listWithComments(query: TicketSearch): Promise<TicketWithCommentsPage>;
}
