import { randomUUID } from 'node:crypto';
import type { Activity } from '@backend-path/shared/domain/activity';
import type { Ticket, TicketPriority, TicketStatus } from '@backend-path/shared/domain/tickets';

// PLACEHOLDER until the merge: this file is stage 02's, carried unchanged. The contract below is
// the design's; the in-memory implementation is only here so stage 03 stands on its own.

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
}
export interface TicketPage {
  items: Ticket[];
  total: number;
}
export interface TicketRepository {
  create(input: NewTicket): Promise<Ticket>;
  findById(id: string): Promise<Ticket | null>;
  /** Newest first, ties broken by id: a stable order. */
  list(query: TicketListQuery): Promise<TicketPage>;
  update(id: string, changes: TicketChanges): Promise<Ticket | null>;
  remove(id: string): Promise<boolean>;
  /** Business rule: ≤ 10 open per user. */
  countOpenByCreator(userId: string): Promise<number>;
  /** status=resolved, resolvedAt, + activity entry. */
  resolve(id: string, actorId: string): Promise<Ticket | null>;
}

function newestFirst(a: Ticket, b: Ticket): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function createInMemoryTicketRepository(): TicketRepository {
  const tickets = new Map<string, Ticket>();
  const activity: Activity[] = [];
  return {
    async create(input) {
      const now = new Date().toISOString();
      const ticket: Ticket = {
        id: randomUUID(),
        ...input,
        status: 'open',
        createdAt: now,
        updatedAt: now,
        resolvedAt: null,
      };
      tickets.set(ticket.id, ticket);
      return { ...ticket };
    },
    async findById(id) {
      const ticket = tickets.get(id);
      return ticket ? { ...ticket } : null;
    },
    async list({ page, pageSize, status }) {
      const matching = [...tickets.values()]
        .filter((ticket) => status === undefined || ticket.status === status)
        .sort(newestFirst);
      const start = (page - 1) * pageSize;
      return { items: matching.slice(start, start + pageSize), total: matching.length };
    },
    async update(id, changes) {
      const ticket = tickets.get(id);
      if (!ticket) return null;
      const now = new Date().toISOString();
      const updated: Ticket = { ...ticket, ...changes, updatedAt: now };
      if (changes.status === 'resolved' && ticket.status !== 'resolved') updated.resolvedAt = now;
      if (changes.status === 'open' || changes.status === 'pending') updated.resolvedAt = null;
      tickets.set(id, updated);
      return { ...updated };
    },
    async remove(id) {
      return tickets.delete(id);
    },
    async countOpenByCreator(userId) {
      return [...tickets.values()].filter((t) => t.createdBy === userId && t.status === 'open')
        .length;
    },
    async resolve(id, actorId) {
      const ticket = tickets.get(id);
      if (!ticket) return null;
      const now = new Date().toISOString();
      const resolved: Ticket = { ...ticket, status: 'resolved', resolvedAt: now, updatedAt: now };
      tickets.set(id, resolved);
      const details = { from: ticket.status };
      activity.push({
        id: randomUUID(),
        ticketId: id,
        actorId,
        type: 'resolved',
        details,
        createdAt: now,
      });
      return { ...resolved };
    },
  };
}
