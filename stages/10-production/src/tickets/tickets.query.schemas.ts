import { TICKET_LIMITS, TICKET_STATUSES } from '@backend-path/shared/domain/tickets';
import { z } from 'zod';
import {
  cleanText,
  DEFAULT_PAGE_SIZE,
  IdSchema,
  MAX_PAGE_DEPTH,
  MAX_PAGE_SIZE,
  queryObject,
  wholeNumberParam,
} from '../http/common.schemas.ts';

const afterMessage = 'after must be a cursor from meta.nextCursor of a previous page.';

/** "Give page once." for `?page=1&page=2`, `message` for anything else that is not a string. */
function once(name: string, message: string) {
  return (issue: { input?: unknown }) =>
    Array.isArray(issue.input) ? `Give ${name} once.` : message;
}

// A cursor names where the last page ended: the sort key (createdAt, id) of its last ticket.
// Opaque to clients (base64url of JSON, made by tickets.cursor.ts) so we may change what is
// inside; validated on the way in like any other input, since a client can send anything.
// What is inside: the last ticket's (createdAt, id), as tickets.cursor.ts writes them.
// PostgreSQL has no year 0000 ('0000-…'::timestamptz is an error: a 500 before stage 08's
// property test found it). No ticket is older than this, so no cursor we made is either.
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const CursorKeySchema = z.tuple([
  z.iso.datetime({ precision: 3 }).refine((time) => Date.parse(time) >= EARLIEST),
  IdSchema,
]);

export const TicketCursorSchema = z
  .string({ error: once('after', afterMessage) })
  .transform((raw, ctx) => {
    // Whatever is wrong inside, the client learns one thing: this is not a cursor we made.
    let key: z.ZodSafeParseResult<[string, string]> | undefined;
    try {
      key = CursorKeySchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    } catch {}
    if (!key?.success) {
      ctx.addIssue({ code: 'custom', message: afterMessage });
      return z.NEVER;
    }
    const [createdAt, id] = key.data;
    return { createdAt, id };
  })
  .meta({
    id: 'TicketCursor',
    description: 'Opaque: `meta.nextCursor` of the previous page.',
    examples: [
      'WyIyMDI2LTAxLTAxVDA5OjAwOjAwLjAwMFoiLCIwZDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEiXQ',
    ],
  });

/**
 * With `q`, OFFSET also reads every non-matching row between the skipped ones: a word in 6% of
 * subjects makes 10,000 deep read 166,000 rows. A search goes 1,000 deep by page number (the
 * first 1,000 matches, as on large code hosts), then on by cursor.
 */
export const MAX_SEARCH_DEPTH = 1_000;
/** What the trigram index can look up: three letters or digits in a row (migrations/0007). */
const SEARCHABLE = /[\p{L}\p{N}]{3}/u;

const pageMessage = 'page must be a whole number, 1 or more.';
const pageSizeMessage = `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}.`;

// LESSON: a list is always paginated and capped. Without a cap, one `?pageSize=1000000` reads
// (and serialises, on the one thread) everything you have. Bad values are the client's mistake:
// 400 with each problem named, never a silent default that hides the typo.
export const TicketListQuerySchema = queryObject({
  page: wholeNumberParam(pageMessage).optional(),
  pageSize: wholeNumberParam(pageSizeMessage, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  status: z
    .enum(TICKET_STATUSES, {
      error: once('status', `status must be one of: ${TICKET_STATUSES.join(', ')}.`),
    })
    .optional(),
  // Searched in subjects, so longer than a subject can never match.
  q: cleanText(z.string({ error: once('q', 'q must be a string.') }).trim(), 'q')
    .max(
      TICKET_LIMITS.subjectMaxLength,
      `q must be at most ${TICKET_LIMITS.subjectMaxLength} characters.`,
    )
    // LESSON: an input the index cannot serve is refused, not scanned for. The search index
    // looks subjects up by 3-character pieces; "ab" or "%" has none, so it would read every row.
    .refine(
      (q) => q === '' || SEARCHABLE.test(q),
      'q must contain at least 3 letters or digits in a row: the search index looks subjects up by 3-character pieces.',
    )
    // `?q=` (or only spaces) searches for nothing: the same as no q.
    .transform((q) => q || undefined)
    .optional()
    .meta({
      description:
        'Part of the subject, in any case (`%` and `_` match themselves). At least 3 letters or ' +
        `digits in a row; with q, pages go ${MAX_SEARCH_DEPTH} tickets deep, then on by cursor.`,
    }),
  include: z
    .literal('comments', { error: once('include', 'include must be: comments.') })
    .optional(),
  after: TicketCursorSchema.optional(),
})
  .superRefine(({ page, pageSize, after, q }, ctx) => {
    if (after !== undefined && page !== undefined) {
      const message = 'Give either page or after: a cursor says where the page starts.';
      ctx.addIssue({ code: 'custom', path: ['after'], message });
    }
    // LESSON: OFFSET pagination costs what it skips: page 10,000 reads 200,000 rows to show 20.
    // So it stops at a depth; past it, keyset pagination (`?after=<meta.nextCursor>`) continues
    // from the last ticket's (created_at, id) through the same index, as fast on page 10,000 as on 1.
    if (!Number.isSafeInteger(page ?? 1) || !Number.isSafeInteger(pageSize)) return;
    if (((page ?? 1) - 1) * pageSize >= MAX_PAGE_DEPTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['page'],
        message:
          `page × pageSize may reach at most ${MAX_PAGE_DEPTH} tickets deep. Narrow the query ` +
          '(status, q) or page on with ?after=<meta.nextCursor>.',
      });
    } else if (q !== undefined && ((page ?? 1) - 1) * pageSize >= MAX_SEARCH_DEPTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['page'],
        message:
          `With q, page × pageSize may reach at most ${MAX_SEARCH_DEPTH} tickets deep: page on ` +
          'with ?after=<meta.nextCursor>.',
      });
    }
  })
  .transform(({ page, ...rest }) => ({ page: page ?? 1, ...rest }))
  .meta({
    id: 'TicketListQuery',
    description: 'Which tickets, and which page of them.',
    examples: [{ status: 'open', q: 'printer', pageSize: '20' }],
  });
export type TicketListRequest = z.infer<typeof TicketListQuerySchema>;
