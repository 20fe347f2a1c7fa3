import { COMMENT_LIMITS, type Comment } from '@backend-path/shared/domain/comments';
import { z } from 'zod';
import {
  cleanText,
  DEFAULT_PAGE_SIZE,
  IdSchema,
  MAX_PAGE_DEPTH,
  MAX_PAGE_SIZE,
  queryObject,
  requiredString,
  type Same,
  wholeNumberParam,
} from '../http/common.schemas.ts';

const { bodyMaxLength } = COMMENT_LIMITS;
const nonEmpty = 'Body must be a non-empty string.';

export const CommentSchema = z
  .object({
    id: IdSchema,
    ticketId: IdSchema,
    authorId: IdSchema,
    body: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({
    id: 'Comment',
    description: 'One message in a ticket’s conversation.',
    examples: [
      {
        id: '0c000000-0000-4000-8000-000000000001',
        ticketId: '0d000000-0000-4000-8000-000000000001',
        authorId: '0b000000-0000-4000-8000-000000000001',
        body: 'Have you tried turning it off and on again?',
        createdAt: '2026-01-01T09:00:00.000Z',
      },
    ],
  });
export type CommentResponse = z.infer<typeof CommentSchema>;
// Compile-time only: the shared domain type and the schema agree.
export const COMMENT_SCHEMA_MATCHES_DOMAIN: Same<CommentResponse, Comment> = true;

/** `POST /tickets/:id/comments`. The body is kept as sent (not trimmed), as in stages 03–05. */
export const NewCommentBodySchema = z
  .strictObject({
    body: cleanText(requiredString('body', nonEmpty), 'Body')
      .refine((body) => body.trim() !== '', nonEmpty)
      .max(bodyMaxLength, `Body must be at most ${bodyMaxLength} characters.`),
  })
  .meta({
    id: 'NewCommentBody',
    description: 'A new comment on a ticket.',
    examples: [{ body: 'It works again, thanks!' }],
  });
export type NewCommentBody = z.infer<typeof NewCommentBodySchema>;

const pageMessage = 'page must be a whole number, 1 or more (given once).';
const pageSizeMessage = `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE} (given once).`;

// A ticket's conversation is a list like any other: paginated, capped, the same 400s. A ticket
// with 10,000 comments must not turn one GET into 10,000 rows serialised on the one thread.
export const CommentListQuerySchema = queryObject({
  page: wholeNumberParam(pageMessage).default(1),
  pageSize: wholeNumberParam(pageSizeMessage, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
})
  .superRefine(({ page, pageSize }, ctx) => {
    // Only when both are valid numbers: otherwise their own message already says what is wrong.
    if (!Number.isSafeInteger(page) || !Number.isSafeInteger(pageSize)) return;
    if ((page - 1) * pageSize >= MAX_PAGE_DEPTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['page'],
        message: `page × pageSize may reach at most ${MAX_PAGE_DEPTH} comments deep.`,
      });
    }
  })
  .meta({
    id: 'CommentListQuery',
    description: 'Which page of a ticket’s comments (oldest first).',
    examples: [{ page: '1', pageSize: '20' }],
  });
export type CommentListQuery = z.infer<typeof CommentListQuerySchema>;

export const CommentIdParamsSchema = z
  .strictObject({ id: IdSchema, commentId: IdSchema })
  .meta({ id: 'CommentIdParams', description: 'A ticket’s id and one of its comments’ ids.' });
