import { randomUUID } from 'node:crypto';
import type { Activity, ActivityType } from '@backend-path/shared/domain/activity';
import { TICKET_PRIORITIES, type Ticket } from '@backend-path/shared/domain/tickets';
import { isFinished } from '../../src/tickets/tickets.repository.ts';
import {
  boundedPage,
  COMMENTS_PER_TICKET,
  type SearchableTicketRepository,
  type TicketSearch,
} from '../../src/tickets/tickets.search.ts';
import { commentsOf } from './comments.repository.fake.ts';
import { type FakeStore, missingReference, newestFirst, outOfRange, stamp } from './store.ts';

export interface FakeTicketRepository extends SearchableTicketRepository {
  /** Arrange only: stores a complete ticket as it is (as the pg tests' insertTicket does). */
  seed(ticket: Ticket): void;
  /** A ticket's activity, oldest first: what the pg tests read from the activity table. */
  activityOf(ticketId: string): Activity[];
}

// LESSON: a fake is honest when it passes the same contract suite as the real thing
// (test/tickets/tickets.repository.contract.ts runs against both). This one keeps every rule
// the service relies on — the open-ticket limit checked in the same step as the write, resolve
// refused once finished, newest-first order with ties by id, the cursor, account and creator
// filters, foreign keys — and raises the same AppErrors that src/db/pg-errors.ts produces.
// No `await` inside a method: check and write run in one turn of the event loop, the in-memory
// equivalent of PostgreSQL's row lock.
export function createFakeTicketRepository(store: FakeStore): FakeTicketRepository {
  const copy = (ticket: Ticket): Ticket => ({ ...ticket });
  const openOf = (userId: string) =>
    [...store.tickets.values()].filter((t) => t.createdBy === userId && t.status === 'open').length;
  function checkUser(field: string, id: string | null) {
    if (id !== null && !store.users.has(id)) throw missingReference(field);
  }
  /** tickets_priority_valid: the CHECK that backs the schema's enum. */
  function checkPriority(priority: string | undefined) {
    if (priority !== undefined && !(TICKET_PRIORITIES as readonly string[]).includes(priority)) {
      throw outOfRange('priority');
    }
  }
  function record(ticketId: string, actorId: string, type: ActivityType, details: object) {
    // activity_actor_id_fkey is not mapped to a field: 422 without `fields`, and since the
    // callers record BEFORE they write, a failure leaves nothing half-done (the rollback).
    if (!store.users.has(actorId)) throw missingReference();
    const createdAt = stamp(store);
    store.activity.push({
      id: randomUUID(),
      ticketId,
      actorId,
      type,
      details: { ...details },
      createdAt,
    });
  }
  function matching(query: TicketSearch): Ticket[] {
    const q = query.q?.toLowerCase();
    return [...store.tickets.values()]
      .filter(
        (t) =>
          (query.accountId === undefined || t.accountId === query.accountId) &&
          (query.createdBy === undefined || t.createdBy === query.createdBy) &&
          (query.status === undefined || t.status === query.status) &&
          (!q || t.subject.toLowerCase().includes(q)),
      )
      .sort(newestFirst);
  }
  /** The page and one ticket more (hasMore), the total capped as the SQL's count is. */
  function page(query: TicketSearch) {
    const all = matching(query);
    const { after } = query;
    // (createdAt, id) < (after.createdAt, after.id), as the SQL row comparison.
    const rest = after ? all.filter((t) => newestFirst(after, t) < 0) : all;
    const start = after ? 0 : (query.page - 1) * query.pageSize;
    const rows = rest.slice(start, start + query.pageSize + 1).map(copy);
    return boundedPage(rows, query.pageSize, all.length);
  }

  return {
    seed(ticket) {
      store.tickets.set(ticket.id, copy(ticket));
    },
    activityOf(ticketId) {
      return store.activity.filter((a) => a.ticketId === ticketId).map((a) => ({ ...a }));
    },
    async create(input, maxOpen) {
      const open = openOf(input.createdBy);
      if (open >= maxOpen) return { refused: 'open-limit', open };
      if (!store.accounts.has(input.accountId)) throw missingReference('accountId');
      checkUser('createdBy', input.createdBy);
      checkUser('assigneeId', input.assigneeId);
      checkPriority(input.priority);
      const now = stamp(store);
      const ticket: Ticket = {
        id: randomUUID(),
        ...input,
        status: 'open',
        createdAt: now,
        updatedAt: now,
        resolvedAt: null,
      };
      store.tickets.set(ticket.id, ticket);
      return copy(ticket);
    },
    async findById(id) {
      const ticket = store.tickets.get(id);
      return ticket ? copy(ticket) : null;
    },
    async list(query) {
      return page(query);
    },
    async listWithComments(query) {
      const { items, ...rest } = page(query);
      const withComments = items.map((ticket) => {
        const all = commentsOf(store, ticket.id);
        return { ...ticket, comments: all.slice(-COMMENTS_PER_TICKET), commentCount: all.length };
      });
      return { ...rest, items: withComments };
    },
    async update(id, changes, { actorId, maxOpen }) {
      const before = store.tickets.get(id);
      if (!before) return null;
      const newStatus = changes.status !== before.status ? changes.status : undefined;
      if (newStatus === 'open') {
        const open = openOf(before.createdBy);
        if (open >= maxOpen) return { refused: 'open-limit', open };
      }
      if (changes.assigneeId !== undefined) checkUser('assigneeId', changes.assigneeId);
      checkPriority(changes.priority);
      const now = stamp(store);
      const after: Ticket = { ...before, ...definedOnly(changes), updatedAt: now };
      // resolvedAt = when it last became resolved; reopening clears it, closing keeps it.
      if (newStatus === 'resolved') after.resolvedAt = now;
      else if (newStatus === 'open' || newStatus === 'pending') after.resolvedAt = null;
      if (newStatus !== undefined) {
        record(id, actorId, 'status_changed', { from: before.status, to: newStatus });
      }
      store.tickets.set(id, after);
      return copy(after);
    },
    async remove(id, actorId) {
      const before = store.tickets.get(id);
      if (!before) return false;
      // The trail outlives the ticket; its comments go with it (ON DELETE CASCADE).
      record(id, actorId, 'deleted', { subject: before.subject, status: before.status });
      store.tickets.delete(id);
      for (const comment of commentsOf(store, id)) store.comments.delete(comment.id);
      return true;
    },
    async countOpenByCreator(userId) {
      return openOf(userId);
    },
    async resolve(id, actorId) {
      const before = store.tickets.get(id);
      if (!before) return null;
      if (isFinished(before.status)) return { refused: 'finished', status: before.status };
      record(id, actorId, 'resolved', { from: before.status });
      const now = stamp(store);
      const after: Ticket = { ...before, status: 'resolved', updatedAt: now, resolvedAt: now };
      store.tickets.set(id, after);
      return copy(after);
    },
  };
}

/** `{ status: undefined }` leaves the status alone, as the SQL skips undefined changes. */
function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(changes).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
