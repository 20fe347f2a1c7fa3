import { randomUUID } from 'node:crypto';
import type { Ticket } from '@backend-path/shared/domain/tickets';

/** What the store needs to create a ticket; it fills in id, status and timestamps. */
export interface NewTicket {
  accountId: string;
  createdBy: string;
  subject: string;
  description: string;
  priority: Ticket['priority'];
  assigneeId: string | null;
}

export type TicketChanges = Partial<
  Pick<Ticket, 'subject' | 'description' | 'priority' | 'status' | 'assigneeId'>
>;

// Async although a Map is synchronous: stage 03 swaps in PostgreSQL behind the same interface,
// and the handlers already `await` it.
export interface TicketStore {
  create(input: NewTicket): Promise<Ticket>;
  findById(id: string): Promise<Ticket | null>;
  /** Newest first; ties (same millisecond) broken by id, so the order is stable. */
  list(): Promise<Ticket[]>;
  update(id: string, changes: TicketChanges): Promise<Ticket | null>;
  remove(id: string): Promise<boolean>;
}

export function createInMemoryTicketStore(options: { now?: () => Date } = {}): TicketStore {
  const now = options.now ?? (() => new Date());
  const tickets = new Map<string, Ticket>();
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
    async list() {
      return [...tickets.values()]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id))
        .map(copy);
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
      return tickets.delete(id);
    },
  };
}
