import { COMMENT_LIMITS } from '@backend-path/shared/domain/comments';
import {
  TICKET_LIMITS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from '@backend-path/shared/domain/tickets';

// LESSON: a body limit is derived, not guessed. It must let through the largest body the API
// accepts, written in the worst characters, and nothing much bigger. The worst character costs
// 6 bytes per UTF-16 code unit: JSON writes control characters as `\u00XX`, and encoders such as
// Python's json.dumps write every non-ASCII character that way (an emoji: two escapes, 12 bytes).
// Plain UTF-8 costs at most 3 bytes per code unit (`é` 2, `€` 3, an emoji 4 for two units).
const WORST_CHARACTER = '\u0001';

function worst(length: number): string {
  return WORST_CHARACTER.repeat(length);
}

function longest(values: readonly string[]): string {
  return values.reduce((a, b) => (b.length > a.length ? b : a));
}

/** A PATCH with every field at its maximum: larger than any create (which has no status). */
export const LARGEST_TICKET_BODY = {
  subject: worst(TICKET_LIMITS.subjectMaxLength),
  description: worst(TICKET_LIMITS.descriptionMaxLength),
  priority: longest(TICKET_PRIORITIES),
  status: longest(TICKET_STATUSES),
  assigneeId: '00000000-0000-4000-8000-000000000000',
};

/** `POST /tickets/:id/comments` from stage 03 on. */
export const LARGEST_COMMENT_BODY = { body: worst(COMMENT_LIMITS.bodyMaxLength) };

/**
 * The encoded size of the largest of these bodies, written compactly (no whitespace between
 * tokens: padding is not something an honest client sends).
 */
export function largestJsonBytes(bodies: readonly object[]): number {
  return Math.max(...bodies.map((body) => Buffer.byteLength(JSON.stringify(body))));
}
