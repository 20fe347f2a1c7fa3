import { randomUUID } from 'node:crypto';
import type { Activity } from '@backend-path/shared/domain/activity';
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

// LESSON: the repository is the only layer that knows where tickets live. The service codes
// against this interface; stage 03 implements it with SQL and nothing above it changes.
// Async although a Map is synchronous: a database is not.
export interface TicketRepository {
  create(input: NewTicket): Promise<Ticket>;
  findById(id: string): Promise<Ticket | null>;
  /** Newest first; ties (same millisecond) broken by id, so pages never overlap or skip. */
  list(query: TicketListQuery): Promise<TicketPage>;
  update(id: string, changes: TicketChanges): Promise<Ticket | null>;
  remove(id: string): Promise<boolean>;
  /** Tickets this user created that are still `open`: the business rule counts them. */
  countOpenByCreator(userId: string): Promise<number>;
  /** status = resolved, resolvedAt = now, plus an activity entry; null if no such ticket. */
  resolve(id: string, actorId: string): Promise<Ticket | null>;
}

/** The in-memory one also shows its activity log, which stage 03 keeps in a table. */
export interface InMemoryTicketRepository extends TicketRepository {
  activityOf(ticketId: string): Promise<Activity[]>;
}

export function createInMemoryTicketRepository(
  options: { now?: () => Date } = {},
): InMemoryTicketRepository {
  const now = options.now ?? (() => new Date());
  const tickets = new Map<string, Ticket>();
  const activity = new Map<string, Activity[]>();
  // Hand out copies: a caller mutating what it got back must not change what is stored.
  const copy = (ticket: Ticket): Ticket => ({ ...ticket });

  return {
    async create(input) {
      const timestamp = now().toISOString();
      const ticket: Ticket = {
        id: randomUUID(),
        ...input,
        status: 'open',
        createdAt: timestamp,
        updatedAt: timestamp,
        resolvedAt: null,
      };
      tickets.set(ticket.id, ticket);
      return copy(ticket);
    },
    async findById(id) {
      const ticket = tickets.get(id);
      return ticket ? copy(ticket) : null;
    },
    async list({ page, pageSize, status, after }) {
      const matching = [...tickets.values()]
        .filter((ticket) => status === undefined || ticket.status === status)
        // Both keys descending, as stage 03's `ORDER BY created_at DESC, id DESC`.
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
      // (createdAt, id) < (after.createdAt, after.id), as stage 03's row comparison.
      const rest = after
        ? matching.filter(
            (t) =>
              t.createdAt < after.createdAt || (t.createdAt === after.createdAt && t.id < after.id),
          )
        : matching;
      const start = after ? 0 : (page - 1) * pageSize;
      return { items: rest.slice(start, start + pageSize).map(copy), total: matching.length };
    },
    async update(id, changes) {
      const current = tickets.get(id);
      if (!current) return null;
      const timestamp = now().toISOString();
      const updated: Ticket = { ...current, ...changes, updatedAt: timestamp };
      // resolvedAt = when it last became resolved; reopening clears it, closing keeps it.
      if (changes.status === 'resolved' && current.status !== 'resolved') {
        updated.resolvedAt = timestamp;
      } else if (changes.status === 'open' || changes.status === 'pending') {
        updated.resolvedAt = null;
      }
      tickets.set(id, updated);
      return copy(updated);
    },
    async remove(id) {
      activity.delete(id); // as ON DELETE CASCADE will in stage 03
      return tickets.delete(id);
    },
    async countOpenByCreator(userId) {
      return [...tickets.values()].filter((t) => t.createdBy === userId && t.status === 'open')
        .length;
    },
    async resolve(id, actorId) {
      const current = tickets.get(id);
      if (!current) return null;
      const timestamp = now().toISOString();
      const resolved: Ticket = {
        ...current,
        status: 'resolved',
        updatedAt: timestamp,
        resolvedAt: timestamp,
      };
      tickets.set(id, resolved);
      const entry: Activity = {
        id: randomUUID(),
        ticketId: id,
        actorId,
        type: 'resolved',
        details: { from: current.status },
        createdAt: timestamp,
      };
      activity.set(id, [...(activity.get(id) ?? []), entry]);
      return copy(resolved);
    },
    async activityOf(ticketId) {
      return (activity.get(ticketId) ?? []).map((entry) => ({ ...entry }));
    },
  };
}
