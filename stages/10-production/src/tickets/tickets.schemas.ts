import {
  TICKET_LIMITS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
} from '@backend-path/shared/domain/tickets';
import { z } from 'zod';
import { CommentSchema } from '../comments/comments.schemas.ts';
import {
  cleanText,
  IdSchema,
  nonEmptyText,
  requiredString,
  type Same,
} from '../http/common.schemas.ts';

const { subjectMaxLength, descriptionMaxLength } = TICKET_LIMITS;

// LESSON: one schema per input, and it is three things at once: the runtime check (validate()
// runs it before the handler), the TypeScript type (z.infer, never written a second time) and
// the published contract (the OpenAPI document is generated from these same objects).

const subject = nonEmptyText({ field: 'subject', label: 'Subject', max: subjectMaxLength });
const description = cleanText(
  requiredString('description', 'Description must be a string.'),
  'Description',
).max(descriptionMaxLength, `Description must be at most ${descriptionMaxLength} characters.`);
const priority = z.enum(TICKET_PRIORITIES, {
  error: `Priority must be one of: ${TICKET_PRIORITIES.join(', ')}.`,
});
const status = z.enum(TICKET_STATUSES, {
  error: `Status must be one of: ${TICKET_STATUSES.join(', ')}.`,
});
const assigneeId = IdSchema.nullable().meta({ description: 'An agent of your account, or null.' });
// A message of its own, for a wrong type and a wrong format alike: null is allowed too.
const assignee = z
  .guid({ error: 'Assignee must be a user id (UUID) or null.' })
  .nullable()
  .meta({ description: 'An agent of your account, or null.' });

export const CreateTicketBodySchema = z
  .strictObject({
    subject,
    description: description.default(''),
    priority: priority.default('medium'),
    assigneeId: assignee.default(null),
  })
  .meta({
    id: 'CreateTicketBody',
    description: 'A new ticket; the server fills in the rest (status, creator, timestamps).',
    examples: [{ subject: 'Printer on fire', description: 'Third floor.', priority: 'high' }],
  });
/** What the service gets: trimmed subject, defaults filled in. */
export type CreateTicketFields = z.infer<typeof CreateTicketBodySchema>;

const CHANGEABLE = ['subject', 'description', 'priority', 'status', 'assigneeId'] as const;

export const UpdateTicketBodySchema = z
  .strictObject({
    subject: subject.optional(),
    description: description.optional(),
    priority: priority.optional(),
    status: status.optional(),
    assigneeId: assignee.optional(),
  })
  .refine((changes) => Object.keys(changes).length > 0, {
    message: `Send at least one of: ${CHANGEABLE.join(', ')}.`,
  })
  .meta({
    id: 'UpdateTicketBody',
    description: 'A partial update: every field optional, at least one present.',
    examples: [{ status: 'pending', assigneeId: '0b000000-0000-4000-8000-000000000002' }],
  });
export type UpdateTicketFields = z.infer<typeof UpdateTicketBodySchema>;

export const TicketSchema = z
  .object({
    id: IdSchema,
    accountId: IdSchema,
    subject: z.string(),
    description: z.string(),
    priority: z.enum(TICKET_PRIORITIES),
    status: z.enum(TICKET_STATUSES),
    createdBy: IdSchema,
    assigneeId,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
  })
  .meta({
    id: 'Ticket',
    description: 'A support ticket, as every route returns it.',
    examples: [
      {
        id: '0d000000-0000-4000-8000-000000000001',
        accountId: '0a000000-0000-4000-8000-000000000001',
        subject: 'Printer on fire',
        description: 'Third floor.',
        priority: 'high',
        status: 'open',
        createdBy: '0b000000-0000-4000-8000-000000000003',
        assigneeId: null,
        createdAt: '2026-01-01T09:00:00.000Z',
        updatedAt: '2026-01-01T09:00:00.000Z',
        resolvedAt: null,
      },
    ],
  });
export type TicketResponse = z.infer<typeof TicketSchema>;

export const TicketWithCommentsSchema = TicketSchema.extend({
  comments: z.array(CommentSchema).meta({ description: 'The newest few, oldest first.' }),
  commentCount: z.number().int().meta({ description: 'All of the ticket’s comments.' }),
}).meta({
  id: 'TicketWithComments',
  description: 'A ticket in `GET /tickets?include=comments`.',
});

export const TicketIdParamsSchema = z
  .strictObject({ id: IdSchema })
  .meta({ id: 'TicketIdParams', description: 'A ticket’s id.' });

// Compile-time only: the shared domain type (used by every stage) and the schema agree.
export const TICKET_SCHEMA_MATCHES_DOMAIN: Same<TicketResponse, Ticket> = true;
