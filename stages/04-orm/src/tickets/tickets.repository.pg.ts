import type { DbPool } from '../db/pool.ts';
import { withTransaction } from '../db/transaction.ts';
import { isUuid } from './tickets.ids.ts';
import type { TicketChanges } from './tickets.repository.ts';
import type { SearchableTicketRepository } from './tickets.search.ts';
import {
  listPageSql,
  listWithCommentsSql,
  param,
  TICKET_COLUMNS,
  type TicketRow,
  type TicketWithCommentsRow,
  ticketColumnsOf,
  ticketFilter,
  toComment,
  toTicket,
} from './tickets.sql.ts';

// Only whitelisted keys become column names; values always travel as parameters.
const COLUMN_BY_CHANGE: Record<keyof TicketChanges, string> = {
  subject: 'subject',
  description: 'description',
  priority: 'priority',
  status: 'status',
  assigneeId: 'assignee_id',
};

export function createPgTicketRepository(pool: DbPool): SearchableTicketRepository {
  async function one(text: string, values: unknown[]) {
    const { rows } = await pool.query<TicketRow>(text, values);
    return rows[0] ? toTicket(rows[0]) : null;
  }

  return {
    async create(input) {
      const ticket = await one(
        `INSERT INTO tickets (account_id, created_by, assignee_id, subject, description, priority)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TICKET_COLUMNS}`,
        [
          input.accountId,
          input.createdBy,
          input.assigneeId,
          input.subject,
          input.description,
          input.priority,
        ],
      );
      if (!ticket) throw new Error('INSERT … RETURNING returned no row');
      return ticket;
    },

    // A malformed id cannot match any row: answer without a round trip (the handler has
    // normally rejected it with 400 INVALID_ID already).
    async findById(id) {
      if (!isUuid(id)) return null;
      return one(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = $1`, [id]);
    },

    async list(query) {
      const page = listPageSql(query);
      const countValues: unknown[] = [];
      const countText = `SELECT count(*)::int AS total FROM tickets ${ticketFilter(query, countValues)}`;
      // Two statements on two pooled connections, in parallel. Under concurrent writes the
      // total may be one off from the page: acceptable for a list, and cheaper than a transaction.
      const [rows, count] = await Promise.all([
        pool.query<TicketRow>(page.text, page.values),
        pool.query<{ total: number }>(countText, countValues),
      ]);
      return { items: rows.rows.map(toTicket), total: count.rows[0]?.total ?? 0 };
    },

    async update(id, changes) {
      if (!isUuid(id)) return null;
      const values: unknown[] = [id];
      const sets = ['updated_at = now()'];
      let status: string | undefined; // the placeholder of the new status, if it changes
      for (const [key, column] of Object.entries(COLUMN_BY_CHANGE)) {
        const value = changes[key as keyof TicketChanges];
        if (value === undefined) continue;
        const placeholder = param(values, value);
        sets.push(`${column} = ${placeholder}`);
        if (key === 'status') status = placeholder;
      }
      if (status !== undefined) {
        // resolved_at = when it last became resolved (tickets_resolved_at_consistent holds):
        // becoming resolved stamps it, reopening clears it, closing keeps it. On the right of
        // SET, `status` is still the old value.
        sets.push(`resolved_at = CASE
          WHEN ${status} = 'resolved' AND status <> 'resolved' THEN now()
          WHEN ${status} IN ('open', 'pending') THEN NULL
          ELSE resolved_at END`);
      }
      return one(
        `UPDATE tickets SET ${sets.join(', ')} WHERE id = $1 RETURNING ${TICKET_COLUMNS}`,
        values,
      );
    },

    async remove(id) {
      if (!isUuid(id)) return false;
      // comments and activity go with it: ON DELETE CASCADE (migrations/0004, 0005).
      const { rowCount } = await pool.query('DELETE FROM tickets WHERE id = $1', [id]);
      return rowCount === 1;
    },

    async countOpenByCreator(userId) {
      const { rows } = await pool.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM tickets WHERE created_by = $1 AND status = 'open'`,
        [userId],
      );
      return rows[0]?.open ?? 0;
    },

    // LESSON: two writes that must happen together run in one transaction. If the activity
    // INSERT fails (say the actor does not exist), the UPDATE is rolled back with it: the
    // ticket is never "resolved" without a trace of who resolved it.
    async resolve(id, actorId) {
      if (!isUuid(id)) return null;
      return withTransaction(pool, async (client) => {
        // FROM (… FOR UPDATE) locks the row and hands RETURNING its status from before the update.
        const { rows } = await client.query<TicketRow & { previous_status: string }>(
          `UPDATE tickets AS t SET status = 'resolved', resolved_at = now(), updated_at = now()
           FROM (SELECT id, status FROM tickets WHERE id = $1 FOR UPDATE) AS before
           WHERE t.id = before.id
           RETURNING before.status AS previous_status, ${ticketColumnsOf('t')}`,
          [id],
        );
        if (!rows[0]) return null;
        await client.query(
          `INSERT INTO activity (ticket_id, actor_id, type, details)
           VALUES ($1, $2, 'resolved', $3)`,
          [id, actorId, { from: rows[0].previous_status }],
        );
        return toTicket(rows[0]);
      });
    },

    // LESSON: one round trip for a page of tickets AND their comments. The naive version
    // (labs/n-plus-one.ts) sends 1 + N queries; this one sends 1 whatever the page size.
    async listWithComments(query) {
      const { text, values } = listWithCommentsSql(query);
      const { rows } = await pool.query<TicketWithCommentsRow>(text, values);
      const items = rows.flatMap((row) =>
        row.id === null
          ? []
          : [
              {
                ...toTicket(row),
                comments: row.comments.map(toComment),
                commentCount: row.comment_count,
              },
            ],
      );
      return { items, total: rows[0]?.total ?? 0 };
    },
  };
}
