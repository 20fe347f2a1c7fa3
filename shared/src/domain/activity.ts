export const ACTIVITY_TYPES = [
  'ticket_created',
  'status_changed',
  'priority_changed',
  'assigned',
  'commented',
  'resolved',
  // The ticket was deleted; the trail outlives it (stage 03's migrations/0006).
  'deleted',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** An append-only audit trail entry for a ticket. */
export interface Activity {
  id: string;
  ticketId: string;
  actorId: string;
  type: ActivityType;
  details: Record<string, unknown>;
  createdAt: string;
}
