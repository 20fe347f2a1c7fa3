import type { ActivityType } from '@backend-path/shared/domain/activity';
import type { TicketStatus } from '@backend-path/shared/domain/tickets';
import { describeDbError } from '../db/pg-errors.ts';
import type { DbClient, DbPool } from '../db/pool.ts';
import { withTransaction } from '../db/transaction.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { isUuid } from './tickets.ids.ts';
import { isFinished, type OpenLimitReached, type TicketChanges } from './tickets.repository.ts';
import { boundedPage, type SearchableTicketRepository } from './tickets.search.ts';
import {
  listSql,
  listWithCommentsSql,
  param,
  TICKET_COLUMNS,
  type TicketPageRow,
  type TicketRow,
  type TicketWithCommentsRow,
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

async function one(db: DbPool | DbClient, text: string, values: unknown[]) {
  const { rows } = await db.query<TicketRow>(text, values);
  return rows[0] ? toTicket(rows[0]) : null;
}

/** One activity row, written on the transaction's connection: it commits or rolls back with the change. */
async function record(
  client: DbClient,
  ticketId: string,
  actorId: string,
  type: ActivityType,
  details: Record<string, unknown>,
) {
  await client.query(
    'INSERT INTO activity (ticket_id, actor_id, type, details) VALUES ($1, $2, $3, $4)',
    [ticketId, actorId, type, details],
  );
}

// LESSON: check-then-write under concurrency. Twenty creates at once by a user with 9 open
// tickets each count 9, and without a lock all twenty insert. Locking the creator's users row
// first makes that user's creates and reopens take turns: the second one counts only after
// the first has committed. FOR NO KEY UPDATE, not FOR UPDATE: the foreign-key checks of other
// inserts naming this user (comments, assignments) take KEY SHARE and need not wait for it.
// The cost: one user's ticket writes are serialised (each holds the lock for a count and an
// insert, ~1 ms); other users are not affected.
async function lockCreatorAndCountOpen(client: DbClient, userId: string): Promise<number> {
  await client.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
  const { rows } = await client.query<{ open: number }>(
    `SELECT count(*)::int AS open FROM tickets WHERE created_by = $1 AND status = 'open'`,
    [userId],
  );
  return rows[0]?.open ?? 0;
}

/** The ticket's row, locked until COMMIT: a concurrent PATCH, resolve or DELETE of it waits. */
async function lockTicket(client: DbClient, id: string) {
  const { rows } = await client.query<{ status: TicketStatus; created_by: string }>(
    'SELECT status, created_by FROM tickets WHERE id = $1 FOR UPDATE',
    [id],
  );
  return rows[0];
}

export function createPgTicketRepository(pool: DbPool): SearchableTicketRepository {
  const repository: SearchableTicketRepository = {
    async create(input, maxOpen) {
      return withTransaction(pool, async (client) => {
        const open = await lockCreatorAndCountOpen(client, input.createdBy);
        if (open >= maxOpen) return { refused: 'open-limit', open } satisfies OpenLimitReached;
        const ticket = await one(
          client,
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
      });
    },

    // A malformed id cannot match any row: answer without a round trip (the handler has
    // normally rejected it with 400 INVALID_ID already).
    async findById(id) {
      if (!isUuid(id)) return null;
      return one(pool, `SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = $1`, [id]);
    },

    // One statement for the page and its bounded total (tickets.sql.ts, listSql).
    async list(query) {
      const { text, values } = listSql(query);
      const { rows } = await pool.query<TicketPageRow>(text, values);
      const tickets = rows.flatMap((row) => (row.id === null ? [] : [toTicket(row)]));
      return boundedPage(tickets, query.pageSize, rows[0]?.total ?? 0);
    },

    async update(id, changes, { actorId, maxOpen }) {
      if (!isUuid(id)) return null;
      return withTransaction(pool, async (client) => {
        const before = await lockTicket(client, id);
        if (!before) return null;
        const newStatus = changes.status !== before.status ? changes.status : undefined;
        // Reopening counts toward the creator's limit: the same lock and count as create.
        // (Ticket row first, then the user's: create takes only the user's, so no deadlock.)
        if (newStatus === 'open') {
          const open = await lockCreatorAndCountOpen(client, before.created_by);
          if (open >= maxOpen) return { refused: 'open-limit', open } satisfies OpenLimitReached;
        }
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
          // becoming resolved stamps it, reopening clears it, closing keeps it. On the right
          // of SET, `status` is still the old value.
          sets.push(`resolved_at = CASE
            WHEN ${status} = 'resolved' AND status <> 'resolved' THEN now()
            WHEN ${status} IN ('open', 'pending') THEN NULL
            ELSE resolved_at END`);
        }
        const ticket = await one(
          client,
          `UPDATE tickets SET ${sets.join(', ')} WHERE id = $1 RETURNING ${TICKET_COLUMNS}`,
          values,
        );
        // Every status change leaves one activity row, in the same transaction as the change.
        if (newStatus !== undefined) {
          await record(client, id, actorId, 'status_changed', {
            from: before.status,
            to: newStatus,
          });
        }
        return ticket;
      });
    },

    async remove(id, actorId) {
      if (!isUuid(id)) return false;
      return withTransaction(pool, async (client) => {
        // Comments go with the ticket (ON DELETE CASCADE); the activity stays (migrations/0006)
        // and gains a `deleted` row with what the ticket was.
        const { rows } = await client.query<{ subject: string; status: TicketStatus }>(
          'DELETE FROM tickets WHERE id = $1 RETURNING subject, status',
          [id],
        );
        const deleted = rows[0];
        if (!deleted) return false;
        await record(client, id, actorId, 'deleted', { ...deleted });
        return true;
      });
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
    // ticket is never "resolved" without a trace of who resolved it. And the status is
    // checked under the row lock: of ten resolves at once, nine wait here, then read
    // 'resolved' (READ COMMITTED re-reads a row it waited for) and are refused.
    async resolve(id, actorId) {
      if (!isUuid(id)) return null;
      return withTransaction(pool, async (client) => {
        const before = await lockTicket(client, id);
        if (!before) return null;
        if (isFinished(before.status)) {
          return { refused: 'finished' as const, status: before.status };
        }
        const ticket = await one(
          client,
          `UPDATE tickets SET status = 'resolved', resolved_at = now(), updated_at = now()
           WHERE id = $1 RETURNING ${TICKET_COLUMNS}`,
          [id],
        );
        await record(client, id, actorId, 'resolved', { from: before.status });
        return ticket;
      });
    },

    // LESSON: one round trip for a page of tickets AND their comments. The naive version
    // (labs/n-plus-one.ts) sends 1 + N queries; this one sends 1 whatever the page size.
    async listWithComments(query) {
      const { text, values } = listWithCommentsSql(query);
      const { rows } = await pool.query<TicketWithCommentsRow>(text, values);
      const tickets = rows.flatMap((row) =>
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
      return boundedPage(tickets, query.pageSize, rows[0]?.total ?? 0);
    },
  };
  return translateErrors(repository, describeDbError);
}
