export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Limits every stage enforces on input (and stage 03's CHECK constraints repeat). */
export const TICKET_LIMITS = {
  subjectMaxLength: 200,
  descriptionMaxLength: 5000,
} as const;

/** Timestamps are ISO-8601 strings: the shape a ticket has on the wire. */
export interface Ticket {
  id: string;
  accountId: string;
  subject: string;
  description: string;
  priority: TicketPriority;
  status: TicketStatus;
  createdBy: string;
  assigneeId: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

/** What a client may send to create a ticket; the server fills in the rest. */
export interface CreateTicketInput {
  subject: string;
  description?: string;
  priority?: TicketPriority;
  assigneeId?: string | null;
}

/** A partial update: every field optional, at least one present. */
export interface UpdateTicketInput {
  subject?: string;
  description?: string;
  priority?: TicketPriority;
  status?: TicketStatus;
  assigneeId?: string | null;
}
