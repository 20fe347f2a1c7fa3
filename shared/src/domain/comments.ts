import type { Ticket } from './tickets.ts';

export const COMMENT_LIMITS = { bodyMaxLength: 10_000 } as const;

export interface Comment {
  id: string;
  ticketId: string;
  authorId: string;
  body: string;
  createdAt: string;
}

/** A ticket with its comments, as `GET /tickets?include=comments` returns it. */
export interface TicketWithComments extends Ticket {
  comments: Comment[];
}
