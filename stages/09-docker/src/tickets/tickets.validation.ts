import {
  TICKET_LIMITS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
} from '@backend-path/shared/domain/tickets';
import { type FieldErrors, InvalidBodyError, ValidationError } from '../errors.ts';
import type { TicketChanges } from './tickets.repository.ts';

type Check = (value: unknown) => string | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const { subjectMaxLength, descriptionMaxLength } = TICKET_LIMITS;
// PostgreSQL cannot store U+0000 in text (stage 03 would answer 500): refuse it here, in every
// stage, so the contract is the same whatever stores the ticket.
const NUL = '\u0000';

function oneOf(values: readonly string[], label: string): Check {
  return (value) =>
    typeof value === 'string' && values.includes(value)
      ? undefined
      : `${label} must be one of: ${values.join(', ')}.`;
}

// One check per field; each returns a message for the client, or undefined when the value is fine.
const CHECKS = {
  subject: (value) => {
    if (typeof value !== 'string' || value.trim() === '')
      return 'Subject must be a non-empty string.';
    if (value.includes(NUL)) return 'Subject must not contain the NUL character (U+0000).';
    if (value.trim().length > subjectMaxLength) {
      return `Subject must be at most ${subjectMaxLength} characters.`;
    }
  },
  description: (value) => {
    if (typeof value !== 'string') return 'Description must be a string.';
    if (value.includes(NUL)) return 'Description must not contain the NUL character (U+0000).';
    if (value.length > descriptionMaxLength) {
      return `Description must be at most ${descriptionMaxLength} characters.`;
    }
  },
  priority: oneOf(TICKET_PRIORITIES, 'Priority'),
  status: oneOf(TICKET_STATUSES, 'Status'),
  assigneeId: (value) =>
    value === null || (typeof value === 'string' && UUID.test(value))
      ? undefined
      : 'Assignee must be a user id (UUID) or null.',
} satisfies Record<string, Check>;

type FieldName = keyof typeof CHECKS;

/** 400 when the JSON is not an object; 422 listing every bad, missing or unknown field. */
function checkFields(body: unknown, allowed: readonly FieldName[], required: readonly FieldName[]) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidBodyError();
  }
  const input = body as Record<string, unknown>;
  // No prototype: on a plain object `errors.__proto__ = …` records nothing, and a body with a
  // `__proto__` key would pass as if it had no unknown field.
  const errors: FieldErrors = Object.create(null);
  for (const key of Object.keys(input)) {
    // Unknown fields are errors, not ignored: a typo like "priorty" must not silently do nothing.
    const check: Check = allowed.includes(key as FieldName)
      ? CHECKS[key as FieldName]
      : () => 'Unknown field.';
    const message = check(input[key]);
    if (message) errors[key] = message;
  }
  for (const key of required) {
    if (!(key in input)) errors[key] = `${key} is required.`;
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return input;
}

export interface CreateTicketFields {
  subject: string;
  description: string;
  priority: TicketPriority;
  assigneeId: string | null;
}

export function validateCreateTicket(body: unknown): CreateTicketFields {
  const input = checkFields(
    body,
    ['subject', 'description', 'priority', 'assigneeId'],
    ['subject'],
  );
  return {
    subject: (input.subject as string).trim(),
    description: (input.description as string | undefined) ?? '',
    priority: (input.priority as TicketPriority | undefined) ?? 'medium',
    assigneeId: (input.assigneeId as string | null | undefined) ?? null,
  };
}

export function validateUpdateTicket(body: unknown): TicketChanges {
  const allowed: FieldName[] = ['subject', 'description', 'priority', 'status', 'assigneeId'];
  const input = checkFields(body, allowed, []);
  if (Object.keys(input).length === 0) {
    throw new ValidationError(undefined, `Send at least one of: ${allowed.join(', ')}.`);
  }
  const changes = { ...input } as TicketChanges;
  if (typeof changes.subject === 'string') changes.subject = changes.subject.trim();
  return changes;
}
