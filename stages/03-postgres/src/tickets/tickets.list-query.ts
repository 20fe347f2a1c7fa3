import {
  TICKET_LIMITS,
  TICKET_STATUSES,
  type Ticket,
  type TicketStatus,
} from '@backend-path/shared/domain/tickets';
import { type FieldErrors, InvalidQueryError } from '../errors.ts';
import type { PageMeta } from '../http/respond.ts';
import { decodeCursor, encodeCursor } from './tickets.cursor.ts';
import type { TicketListQuery } from './tickets.repository.ts';
import type { BoundedCount, TicketSearch } from './tickets.search.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** OFFSET reads and throws away every row it skips: deeper than this, follow the cursor. */
export const MAX_PAGE_DEPTH = 10_000;
/**
 * With `q`, OFFSET also reads every non-matching row between the skipped ones: a word in 6% of
 * subjects makes 10,000 deep read 166,000 rows. A search goes 1,000 deep by page number (the
 * first 1,000 matches, as on large code hosts), then on by cursor.
 */
export const MAX_SEARCH_DEPTH = 1_000;

const WHOLE_NUMBER = /^\d+$/;
/** What the trigram index can look up: three letters or digits in a row (migrations/0007). */
const SEARCHABLE = /[\p{L}\p{N}]{3}/u;
const KNOWN = ['page', 'pageSize', 'status', 'q', 'include', 'after'];

/** The list query plus `?include=comments`, which picks the repository method, not a filter. */
export interface TicketListRequest extends TicketSearch {
  include?: 'comments';
}

/** A value from Express 5's query parser: a string, or an array when the name is repeated. */
function single(name: string, value: unknown, errors: FieldErrors): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  errors[name] = `Give ${name} once.`;
}

function wholeNumber(
  name: string,
  raw: string | undefined,
  fallback: number,
  errors: FieldErrors,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!WHOLE_NUMBER.test(raw) || value < 1 || value > max) {
    errors[name] =
      max === Number.MAX_SAFE_INTEGER
        ? `${name} must be a whole number, 1 or more.`
        : `${name} must be a whole number from 1 to ${max}.`;
  }
  return value;
}

// LESSON: a list is always paginated and capped. Without a cap, one `?pageSize=1000000` reads
// (and serialises, on the one thread) everything you have. Bad values are the client's mistake:
// 400 with each problem named, never a silent default that hides the typo.
export function parseTicketListQuery(query: Record<string, unknown>): TicketListRequest {
  // No prototype: `?__proto__=x` must be named as unknown like any other parameter.
  const errors: FieldErrors = Object.create(null);
  for (const name of Object.keys(query)) {
    if (!KNOWN.includes(name)) {
      errors[name] = `${name} is not a parameter here; use ${KNOWN.join(', ')}.`;
    }
  }
  const page = wholeNumber('page', single('page', query.page, errors), 1, errors);
  const pageSize = wholeNumber(
    'pageSize',
    single('pageSize', query.pageSize, errors),
    DEFAULT_PAGE_SIZE,
    errors,
    MAX_PAGE_SIZE,
  );
  // LESSON: OFFSET pagination costs what it skips: page 10,000 reads 200,000 rows to show 20.
  // So it stops at a depth; past it, keyset pagination (`?after=<meta.nextCursor>`) continues
  // from the last ticket's (created_at, id) through the same index, as fast on page 10,000 as on 1.
  if (!errors.page && !errors.pageSize && (page - 1) * pageSize >= MAX_PAGE_DEPTH) {
    errors.page =
      `page × pageSize may reach at most ${MAX_PAGE_DEPTH} tickets deep. Narrow the query ` +
      '(status, q) or page on with ?after=<meta.nextCursor>.';
  }
  const rawAfter = single('after', query.after, errors);
  const after = rawAfter === undefined ? undefined : decodeCursor(rawAfter);
  if (after === null) {
    errors.after = 'after must be a cursor from meta.nextCursor of a previous page.';
  } else if (after !== undefined && query.page !== undefined) {
    errors.after = 'Give either page or after: a cursor says where the page starts.';
  }
  const status = single('status', query.status, errors);
  if (status !== undefined && !TICKET_STATUSES.includes(status as TicketStatus)) {
    errors.status = `status must be one of: ${TICKET_STATUSES.join(', ')}.`;
  }
  // Searched in subjects, so longer than a subject can never match.
  const q = single('q', query.q, errors)?.trim();
  if (q !== undefined && q.length > TICKET_LIMITS.subjectMaxLength) {
    errors.q = `q must be at most ${TICKET_LIMITS.subjectMaxLength} characters.`;
  } else if (q?.includes('\u0000')) {
    errors.q = 'q must not contain the NUL character (U+0000): no subject does.';
  } else if (q && !SEARCHABLE.test(q)) {
    // LESSON: an input the index cannot serve is refused, not scanned for. The search index
    // looks subjects up by 3-character pieces; "ab" or "%" has none, so it would read every row.
    errors.q =
      'q must contain at least 3 letters or digits in a row: the search index looks subjects up by 3-character pieces.';
  }
  if (q && !errors.page && !errors.pageSize && (page - 1) * pageSize >= MAX_SEARCH_DEPTH) {
    errors.page =
      `With q, page × pageSize may reach at most ${MAX_SEARCH_DEPTH} tickets deep: page on ` +
      'with ?after=<meta.nextCursor>.';
  }
  const include = single('include', query.include, errors);
  if (include !== undefined && include !== 'comments') {
    errors.include = 'include must be: comments.';
  }
  if (Object.keys(errors).length > 0) {
    throw new InvalidQueryError(errors, Object.values(errors).join(' '));
  }
  const request: TicketListRequest = { page, pageSize };
  if (status !== undefined) request.status = status as TicketStatus;
  if (q) request.q = q;
  if (include !== undefined) request.include = 'comments';
  if (after) request.after = after;
  return request;
}

/** `list.items`: the page's tickets, newest first; `hasMore`: whether any follow the last one. */
export function pageMeta(
  { page, pageSize, after }: TicketListQuery,
  list: BoundedCount & { items: readonly Pick<Ticket, 'createdAt' | 'id'>[] },
): PageMeta {
  const last = list.hasMore ? list.items.at(-1) : undefined;
  return {
    page: after ? null : page,
    pageSize,
    total: list.total,
    totalExact: list.totalExact,
    totalPages: Math.ceil(list.total / pageSize),
    hasMore: list.hasMore,
    nextCursor: last ? encodeCursor(last) : null,
  };
}
