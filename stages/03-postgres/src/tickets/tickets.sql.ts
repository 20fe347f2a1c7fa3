import type { Comment } from '@backend-path/shared/domain/comments';
import type { Ticket, TicketPriority, TicketStatus } from '@backend-path/shared/domain/tickets';
import { COMMENTS_PER_TICKET, COUNT_CAP, type TicketSearch } from './tickets.search.ts';

// The SQL-facing half of the tickets repository: column names, row → Ticket, and the WHERE
// clause every list query shares (labs/explain.ts and the plan test EXPLAIN this exact SQL).

export const TICKET_COLUMNS =
  'id, account_id, created_by, assignee_id, subject, description, priority, status, ' +
  'created_at, updated_at, resolved_at';

/** The same columns qualified with a table alias (`t.id, t.account_id, …`) for joins. */
export function ticketColumnsOf(alias: string): string {
  return TICKET_COLUMNS.split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');
}

/** A row as pg returns it: snake_case, timestamptz parsed into Date. */
export interface TicketRow {
  id: string;
  account_id: string;
  created_by: string;
  assignee_id: string | null;
  subject: string;
  description: string;
  priority: TicketPriority;
  status: TicketStatus;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
}

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    accountId: row.account_id,
    subject: row.subject,
    description: row.description,
    priority: row.priority,
    status: row.status,
    createdBy: row.created_by,
    assigneeId: row.assignee_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}

/** A comment inside json_agg: camelCase keys already, timestamps as PostgreSQL's JSON text. */
export function toComment(json: Comment): Comment {
  return { ...json, createdAt: new Date(json.createdAt).toISOString() };
}

/** Adds `value` to the parameter list and returns its placeholder ($1, $2, …). */
export function param(values: unknown[], value: unknown): string {
  values.push(value);
  return `$${values.length}`;
}

/** `%`, `_` and `\` are LIKE wildcards/escape: prefix each with `\` so it matches itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

// LESSON: user input never becomes SQL text. Each value travels as a parameter ($n) in a
// separate protocol message; the server has already parsed the statement when it reads the
// value, so "'; DROP TABLE tickets; --" can only ever be a string to compare with.
export function ticketFilter(query: TicketSearch, values: unknown[]): string {
  const conditions: string[] = [];
  if (query.accountId !== undefined) {
    conditions.push(`account_id = ${param(values, query.accountId)}`);
  }
  if (query.status !== undefined) conditions.push(`status = ${param(values, query.status)}`);
  if (query.q !== undefined && query.q !== '') {
    // `\` is LIKE's default escape character; ESCAPE says so for the reader.
    conditions.push(`subject ILIKE ${param(values, `%${escapeLike(query.q)}%`)} ESCAPE '\\'`);
  }
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

/** Newest first; `id` breaks ties, so equal timestamps never swap places between pages. */
export const NEWEST_FIRST = 'ORDER BY created_at DESC, id DESC';

/**
 * `where` plus "after the cursor": `(created_at, id) < ($t, $id)` compares the pair as the ORDER BY
 * sorts it, so the index range starts right after the last ticket shown.
 */
export function afterCursor(where: string, query: TicketSearch, values: unknown[]): string {
  if (!query.after) return where;
  const cursor = `(created_at, id) < (${param(values, query.after.createdAt)}::timestamptz, ${param(values, query.after.id)}::uuid)`;
  return where === '' ? `WHERE ${cursor}` : `${where} AND ${cursor}`;
}

/** The page's SELECT on `where` (filter and cursor), one row more than it shows: if that row
 * comes back, the list goes on (meta.hasMore). */
function pageRows(where: string, query: TicketSearch, values: unknown[]): string {
  const limit = param(values, query.pageSize + 1);
  const offset = param(values, query.after ? 0 : (query.page - 1) * query.pageSize);
  return `SELECT ${TICKET_COLUMNS} FROM tickets ${where} ${NEWEST_FIRST} LIMIT ${limit} OFFSET ${offset}`;
}

// LESSON: OFFSET still reads and throws away every skipped row (page 5000 reads 100k rows), so
// list-query.ts caps its depth. Keyset pagination — `?after=`, WHERE (created_at, id) < (…) —
// starts where the last page ended: the same index answers page 10,000 as fast as page 1, at
// the price of no "jump to page N" (labs/pagination.ts measures both).
export function listPageSql(query: TicketSearch): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const where = afterCursor(ticketFilter(query, values), query, values);
  return { text: pageRows(where, query, values), values };
}

/** The list's rows, counted up to COUNT_CAP + 1 (counts the whole list, not what follows a cursor). */
function countedRows(where: string, values: unknown[]): string {
  const cap = param(values, COUNT_CAP + 1);
  return `SELECT count(*)::int AS total FROM (SELECT 1 FROM tickets ${where} ${NEWEST_FIRST} LIMIT ${cap}) AS counted`;
}

// LESSON: a total costs what it counts. `count(*)` of a list that matches a million rows reads
// a million index entries on every request, however small the page. So a list counts at most
// COUNT_CAP + 1 rows and says "1000+" past that (meta.totalExact: false), the way large code
// hosts show "10,000+". The ORDER BY is there for the plan, not the number: it makes the count
// walk the index that serves the page, in its order, and stop at the cap.
export function listCountSql(query: TicketSearch): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const text = countedRows(ticketFilter(query, values), values);
  return { text, values };
}

/** A list row: the bounded total, and a ticket's columns (all null on a page past the end). */
export type TicketPageRow = { total: number } & (TicketRow | { [K in keyof TicketRow]: null });

/**
 * What GET /tickets sends: the page (listPageSql) and its count (listCountSql) in ONE statement.
 * One round trip instead of two, and one snapshot: the total cannot disagree with the page under
 * concurrent writes. The outer row is the count, so a page past the end still says the total.
 */
export function listSql(query: TicketSearch): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const where = ticketFilter(query, values);
  const page = pageRows(afterCursor(where, query, values), query, values);
  const text = `SELECT total.total, t.* FROM (${countedRows(where, values)}) AS total
    LEFT JOIN LATERAL (${page}) AS t ON true
    ORDER BY t.created_at DESC, t.id DESC`;
  return { text, values };
}

/** A listWithComments row: the bounded total, the ticket's columns (null on an empty page), its
 * newest comments and how many it has. */
export type TicketWithCommentsRow = {
  total: number;
  comments: Comment[];
  comment_count: number;
} & (TicketRow | { [K in keyof TicketRow]: null });

// listSql's statement, plus each ticket's newest comments (LIMIT per ticket: a ticket with
// 10,000 comments stays one small row), aggregated into one JSON array, and counted, by the index
// comments_ticket_created_idx.
export function listWithCommentsSql(query: TicketSearch): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const where = ticketFilter(query, values);
  // The total counts from the start; the page starts after the cursor.
  const page = pageRows(afterCursor(where, query, values), query, values);
  const perTicket = param(values, COMMENTS_PER_TICKET);
  const text = `SELECT total.total, t.*, coalesce(c.comments, '[]'::json) AS comments,
      coalesce(n.comment_count, 0) AS comment_count
    FROM (${countedRows(where, values)}) AS total
    LEFT JOIN LATERAL (${page}) AS t ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('id', cm.id, 'ticketId', cm.ticket_id,
          'authorId', cm.author_id, 'body', cm.body, 'createdAt', cm.created_at)
        ORDER BY cm.created_at, cm.id) AS comments
      FROM (SELECT * FROM comments WHERE ticket_id = t.id
            ORDER BY created_at DESC, id DESC LIMIT ${perTicket}) AS cm
    ) AS c ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS comment_count FROM comments WHERE ticket_id = t.id
    ) AS n ON true
    ORDER BY t.created_at DESC, t.id DESC`;
  return { text, values };
}
