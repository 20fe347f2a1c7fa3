import { randomUUID } from 'node:crypto';
import type { Activity, ActivityType } from '@backend-path/shared/domain/activity';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import { isFinished, type TicketRepository } from '../../src/tickets/tickets.repository.ts';

// A TicketRepository in a Map: stage 02's store, kept as a test double only. The service's unit
// tests (tickets.service.test.ts) run on it; the API itself reads and writes PostgreSQL.

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
  const openOf = (userId: string) =>
    [...tickets.values()].filter((t) => t.createdBy === userId && t.status === 'open').length;
  const record = (
    ticketId: string,
    actorId: string,
    type: ActivityType,
    details: object,
    createdAt = now().toISOString(),
  ) => {
    const entry: Activity = {
      id: randomUUID(),
      ticketId,
      actorId,
      type,
      details: { ...details },
      createdAt,
    };
    activity.set(ticketId, [...(activity.get(ticketId) ?? []), entry]);
  };

  // No `await` inside these methods: each check and its write run in one turn of the event
  // loop, so no other request can run in between — the in-memory version of a lock.

  return {
    async create(input, maxOpen) {
      const open = openOf(input.createdBy);
      if (open >= maxOpen) return { refused: 'open-limit', open };
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
    async update(id, changes, { actorId, maxOpen }) {
      const current = tickets.get(id);
      if (!current) return null;
      const statusChanges = changes.status !== undefined && changes.status !== current.status;
      if (statusChanges && changes.status === 'open') {
        const open = openOf(current.createdBy);
        if (open >= maxOpen) return { refused: 'open-limit', open };
      }
      const timestamp = now().toISOString();
      const updated: Ticket = { ...current, ...changes, updatedAt: timestamp };
      // resolvedAt = when it last became resolved; reopening clears it, closing keeps it.
      if (changes.status === 'resolved' && current.status !== 'resolved') {
        updated.resolvedAt = timestamp;
      } else if (changes.status === 'open' || changes.status === 'pending') {
        updated.resolvedAt = null;
      }
      tickets.set(id, updated);
      if (statusChanges) {
        record(
          id,
          actorId,
          'status_changed',
          { from: current.status, to: updated.status },
          timestamp,
        );
      }
      return copy(updated);
    },
    async remove(id, actorId) {
      const current = tickets.get(id);
      if (!current) return false;
      // The trail outlives the ticket (stage 03: migrations/0006).
      record(id, actorId, 'deleted', { subject: current.subject, status: current.status });
      return tickets.delete(id);
    },
    async countOpenByCreator(userId) {
      return openOf(userId);
    },
    async resolve(id, actorId) {
      const current = tickets.get(id);
      if (!current) return null;
      if (isFinished(current.status)) return { refused: 'finished', status: current.status };
      const timestamp = now().toISOString();
      const resolved: Ticket = {
        ...current,
        status: 'resolved',
        updatedAt: timestamp,
        resolvedAt: timestamp,
      };
      tickets.set(id, resolved);
      record(id, actorId, 'resolved', { from: current.status }, timestamp);
      return copy(resolved);
    },
    async activityOf(ticketId) {
      return (activity.get(ticketId) ?? []).map((entry) => ({ ...entry }));
    },
  };
}
