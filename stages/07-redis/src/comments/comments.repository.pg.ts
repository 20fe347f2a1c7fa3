import type { Comment } from '@backend-path/shared/domain/comments';
import { describeDbError } from '../db/pg-errors.ts';
import type { DbPool } from '../db/pool.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { isUuid } from '../tickets/tickets.ids.ts';
import { type BoundedCount, boundedPage, COUNT_CAP } from '../tickets/tickets.search.ts';

export interface NewComment {
  ticketId: string;
  authorId: string;
  body: string;
}

export interface CommentRepository {
  /**
   * Throws a foreign-key violation when the ticket does not exist (comments_ticket_id_fkey):
   * describeDbError maps it to 404, since the ticket is the resource in the URL.
   */
  create(input: NewComment): Promise<Comment>;
  /** Oldest first, all of them (labs/n-plus-one.ts). An unknown ticket has no comments. */
  listByTicket(ticketId: string): Promise<Comment[]>;
  /** One page, oldest first, and how many the ticket has: what GET …/comments serves. */
  pageByTicket(ticketId: string, page: CommentPageQuery): Promise<CommentPage>;
  /** One comment, only if it belongs to that ticket (the URL names both). */
  findById(ticketId: string, id: string): Promise<Comment | null>;
}

export interface CommentPageQuery {
  page: number;
  pageSize: number;
}

export interface CommentPage extends BoundedCount {
  items: Comment[];
}

interface CommentRow {
  id: string;
  ticket_id: string;
  author_id: string;
  body: string;
  created_at: Date;
}

const COMMENT_COLUMNS = 'id, ticket_id, author_id, body, created_at';

function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    authorId: row.author_id,
    body: row.body,
    createdAt: row.created_at.toISOString(),
  };
}

export function createPgCommentRepository(pool: DbPool): CommentRepository {
  const repository: CommentRepository = {
    async create({ ticketId, authorId, body }) {
      const { rows } = await pool.query<CommentRow>(
        `INSERT INTO comments (ticket_id, author_id, body) VALUES ($1, $2, $3)
         RETURNING ${COMMENT_COLUMNS}`,
        [ticketId, authorId, body],
      );
      if (!rows[0]) throw new Error('INSERT … RETURNING returned no row');
      return toComment(rows[0]);
    },

    async listByTicket(ticketId) {
      if (!isUuid(ticketId)) return [];
      // comments_ticket_created_idx serves both the filter and the order.
      const { rows } = await pool.query<CommentRow>(
        `SELECT ${COMMENT_COLUMNS} FROM comments WHERE ticket_id = $1 ORDER BY created_at, id`,
        [ticketId],
      );
      return rows.map(toComment);
    },

    // A list like the tickets': one row more than the page (is there more?), and a count that
    // stops at COUNT_CAP + 1, both along comments_ticket_created_idx.
    async pageByTicket(ticketId, { page, pageSize }) {
      if (!isUuid(ticketId)) return boundedPage([], pageSize, 0);
      const [rows, count] = await Promise.all([
        pool.query<CommentRow>(
          `SELECT ${COMMENT_COLUMNS} FROM comments WHERE ticket_id = $1 ORDER BY created_at, id
           LIMIT $2 OFFSET $3`,
          [ticketId, pageSize + 1, (page - 1) * pageSize],
        ),
        pool.query<{ total: number }>(
          `SELECT count(*)::int AS total FROM (SELECT 1 FROM comments WHERE ticket_id = $1
           ORDER BY created_at, id LIMIT $2) AS counted`,
          [ticketId, COUNT_CAP + 1],
        ),
      ]);
      return boundedPage(rows.rows.map(toComment), pageSize, count.rows[0]?.total ?? 0);
    },

    async findById(ticketId, id) {
      if (!isUuid(ticketId) || !isUuid(id)) return null;
      const { rows } = await pool.query<CommentRow>(
        `SELECT ${COMMENT_COLUMNS} FROM comments WHERE id = $1 AND ticket_id = $2`,
        [id, ticketId],
      );
      return rows[0] ? toComment(rows[0]) : null;
    },
  };
  return translateErrors(repository, describeDbError);
}
