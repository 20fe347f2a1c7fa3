import type pg from 'pg';
import type { Activity } from '../domain/activity.ts';
import type { Ticket } from '../domain/tickets.ts';
import { FIXTURE_ACCOUNT_LIST, FIXTURE_USER_LIST } from '../seed/fixtures.ts';
import { buildTicket } from './factories.ts';

// The rows of the ticket schema every database stage (03–10) migrates to, written and read in
// plain SQL: a test arranges what the database holds and checks what it holds after a write,
// without going through the code under test. Each stage's test/support/db-helpers.ts binds these
// to the worker's pool.

// One statement, not one per row: it runs before every test (setup.ts), and on a busy machine
// each round trip costs milliseconds. The users' foreign key is checked at the statement's end,
// when the accounts are in.
/** Stores the fixture accounts and users (shared/src/seed/fixtures.ts). */
export async function insertFixtures(db: pg.Pool): Promise<void> {
  await db.query(
    `WITH accounts AS (
       INSERT INTO accounts (id, name, created_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])
     )
     INSERT INTO users (id, account_id, email, name, role, created_at)
     SELECT * FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])`,
    [
      FIXTURE_ACCOUNT_LIST.map((a) => a.id),
      FIXTURE_ACCOUNT_LIST.map((a) => a.name),
      FIXTURE_ACCOUNT_LIST.map((a) => a.createdAt),
      FIXTURE_USER_LIST.map((u) => u.id),
      FIXTURE_USER_LIST.map((u) => u.accountId),
      FIXTURE_USER_LIST.map((u) => u.email),
      FIXTURE_USER_LIST.map((u) => u.name),
      FIXTURE_USER_LIST.map((u) => u.role),
      FIXTURE_USER_LIST.map((u) => u.createdAt),
    ],
  );
}

/** Stores a complete ticket row, timestamps included (create() always stamps "now"). */
export async function insertTicket(
  pool: pg.Pool,
  overrides: Partial<Ticket> = {},
): Promise<Ticket> {
  const t = buildTicket(overrides);
  await pool.query(
    `INSERT INTO tickets (id, account_id, created_by, assignee_id, subject, description, priority,
       status, created_at, updated_at, resolved_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      t.id,
      t.accountId,
      t.createdBy,
      t.assigneeId,
      t.subject,
      t.description,
      t.priority,
      t.status,
      t.createdAt,
      t.updatedAt,
      t.resolvedAt,
    ],
  );
  return t;
}

/** A ticket's rows in the activity table, oldest first, in the shared Activity shape. */
export async function activityOf(pool: pg.Pool, ticketId: string): Promise<Activity[]> {
  const { rows } = await pool.query(
    `SELECT id, ticket_id, actor_id, type, details, created_at FROM activity
     WHERE ticket_id = $1 ORDER BY created_at, id`,
    [ticketId],
  );
  return rows.map((row) => ({
    id: row.id,
    ticketId: row.ticket_id,
    actorId: row.actor_id,
    type: row.type,
    details: row.details,
    createdAt: row.created_at.toISOString(),
  }));
}

/** Every activity row, oldest first per ticket, as the table holds it (ticket gone or not). */
export async function allActivity(pool: pg.Pool): Promise<Activity[]> {
  const { rows } = await pool.query('SELECT ticket_id FROM activity GROUP BY ticket_id');
  const perTicket = await Promise.all(rows.map((row) => activityOf(pool, row.ticket_id)));
  return perTicket.flat();
}

/** How many rows a table holds. The names are a closed list: SQL text never takes a variable. */
export async function countRows(
  pool: pg.Pool,
  table: 'tickets' | 'comments' | 'activity',
): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

/** Runs `hold` while another connection holds the ticket's row lock (BEGIN … FOR UPDATE). */
export async function whileRowLocked<T>(
  pool: pg.Pool,
  ticketId: string,
  hold: () => Promise<T>,
): Promise<T> {
  const other = await pool.connect();
  try {
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [ticketId]);
    return await hold();
  } finally {
    await other.query('ROLLBACK').catch(() => {});
    other.release();
  }
}

/** True on the embedded PGlite: one backend runs one transaction at a time for every connection. */
export async function isPglite(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ version: string }>('SELECT version()');
  return /emscripten|pglite/i.test(rows[0]?.version ?? '');
}
