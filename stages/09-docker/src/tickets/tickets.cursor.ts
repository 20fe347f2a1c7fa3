import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { TicketCursor } from './tickets.repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// A cursor names where the last page ended: the sort key (createdAt, id) of its last ticket.
// Opaque to clients (base64url of JSON) so we may change what is inside; validated on the way
// in like any other input, since a client can send anything.

export function encodeCursor(ticket: Pick<Ticket, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([ticket.createdAt, ticket.id])).toString('base64url');
}

/** The cursor, or null when `raw` is not one we could have made. */
export function decodeCursor(raw: string): TicketCursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || !ISO_MS.test(createdAt)) return null;
  if (Number.isNaN(Date.parse(createdAt)) || new Date(createdAt).toISOString() !== createdAt) {
    return null;
  }
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  return { createdAt, id };
}
