import { type FieldErrors, InvalidQueryError } from '../errors.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_DEPTH, MAX_PAGE_SIZE } from '../tickets/tickets.list-query.ts';
import type { CommentPageQuery } from './comments.repository.pg.ts';

const KNOWN = ['page', 'pageSize'];

function wholeNumber(raw: unknown, fallback: number, max: number): number | undefined {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 && value <= max ? value : undefined;
}

// A ticket's conversation is a list like any other: paginated, capped, the same 400s. A ticket
// with 10,000 comments must not turn one GET into 10,000 rows serialised on the one thread.
export function parseCommentListQuery(query: Record<string, unknown>): CommentPageQuery {
  const errors: FieldErrors = Object.create(null);
  for (const name of Object.keys(query)) {
    if (!KNOWN.includes(name))
      errors[name] = `${name} is not a parameter here; use page, pageSize.`;
  }
  const page = wholeNumber(query.page, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = wholeNumber(query.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (page === undefined) errors.page = 'page must be a whole number, 1 or more (given once).';
  if (pageSize === undefined) {
    errors.pageSize = `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE} (given once).`;
  }
  if (page !== undefined && pageSize !== undefined && (page - 1) * pageSize >= MAX_PAGE_DEPTH) {
    errors.page = `page × pageSize may reach at most ${MAX_PAGE_DEPTH} comments deep.`;
  }
  if (Object.keys(errors).length > 0) {
    throw new InvalidQueryError(errors, Object.values(errors).join(' '));
  }
  return { page: page ?? 1, pageSize: pageSize ?? DEFAULT_PAGE_SIZE };
}
