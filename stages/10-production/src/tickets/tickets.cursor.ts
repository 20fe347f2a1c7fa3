import type { Ticket } from '@backend-path/shared/domain/tickets';

// A cursor names where the last page ended: the sort key (createdAt, id) of its last ticket.
// Opaque to clients (base64url of JSON) so we may change what is inside; validated on the way
// in like any other input, since a client can send anything (TicketCursorSchema).

export function encodeCursor(ticket: Pick<Ticket, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([ticket.createdAt, ticket.id])).toString('base64url');
}
