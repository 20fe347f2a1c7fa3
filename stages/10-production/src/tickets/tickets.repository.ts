import type { Ticket, TicketPriority, TicketStatus } from '@backend-path/shared/domain/tickets';

/** What the repository needs to create a ticket; it fills in id, status and timestamps. */
export interface NewTicket {
  accountId: string;
  createdBy: string;
  subject: string;
  description: string;
  priority: TicketPriority;
  assigneeId: string | null;
}

export type TicketChanges = Partial<
  Pick<Ticket, 'subject' | 'description' | 'priority' | 'status' | 'assigneeId'>
>;

export interface TicketListQuery {
  page: number;
  pageSize: number;
  status?: TicketStatus;
  /** Keyset pagination: only tickets after this one in the list's order (then `page` is 1). */
  after?: TicketCursor;
}

/** A position in "newest first": the sort key of the last ticket a page showed. */
export interface TicketCursor {
  createdAt: string;
  id: string;
}

/** One page of tickets, and how many match in all (for the `meta` of the response). */
export interface TicketPage {
  items: Ticket[];
  total: number;
}

/** create/update refused: the creator already has `open` open tickets, the most allowed. */
export interface OpenLimitReached {
  refused: 'open-limit';
  open: number;
}

/** resolve refused: the ticket is already resolved or closed. */
export interface AlreadyFinished {
  refused: 'finished';
  status: TicketStatus;
}

/** Who changes a ticket (the activity row names them), and the open-ticket limit to keep. */
export interface ChangeContext {
  actorId: string;
  maxOpen: number;
}

/** A ticket that is resolved or closed cannot be resolved (again). */
export function isFinished(status: TicketStatus): boolean {
  return status === 'resolved' || status === 'closed';
}

// LESSON: the repository is the only layer that knows where tickets live. The service codes
// against this interface; stage 03 implements it with SQL and nothing above it changes.
// Async although a Map is synchronous: a database is not.
//
// A rule that reads, then writes ("fewer than 10 open", "not resolved yet") is checked by the
// repository in the same atomic step as the write — under a lock in PostgreSQL — because a
// check done before, in the service, can be stale by the time the write happens. The service
// passes the limit in and turns a refusal into the error the client sees.
export interface TicketRepository {
  /** Stores the ticket, unless its creator already has `maxOpen` open ones. */
  create(input: NewTicket, maxOpen: number): Promise<Ticket | OpenLimitReached>;
  findById(id: string): Promise<Ticket | null>;
  /** Newest first; ties (same millisecond) broken by id, so pages never overlap or skip. */
  list(query: TicketListQuery): Promise<TicketPage>;
  /**
   * Applies the changes; a status change writes one `status_changed` activity row, and
   * reopening counts toward the creator's limit. null if no such ticket.
   */
  update(
    id: string,
    changes: TicketChanges,
    context: ChangeContext,
  ): Promise<Ticket | OpenLimitReached | null>;
  /** Deletes the ticket; its activity stays, plus a `deleted` row. false if no such ticket. */
  remove(id: string, actorId: string): Promise<boolean>;
  /** Tickets this user created that are still `open`: the business rule counts them. */
  countOpenByCreator(userId: string): Promise<number>;
  /** status = resolved, resolvedAt = now, plus an activity entry; null if no such ticket. */
  resolve(id: string, actorId: string): Promise<Ticket | AlreadyFinished | null>;
}
