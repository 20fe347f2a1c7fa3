import type { Activity } from '@backend-path/shared/domain/activity';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import { FIXTURE_ACCOUNT_LIST, FIXTURE_USER_LIST } from '@backend-path/shared/seed/fixtures';
import { buildCreateTicketInput, buildTicket } from '@backend-path/shared/testing/factories';
import { openWorkerDatabase } from '@backend-path/shared/testing/worker-database';
import { afterAll, inject } from 'vitest';
import { closePool, createPool, type DbPool } from '../src/db/pool.ts';
import type { NewTicket } from '../src/tickets/tickets.repository.ts';

// This worker's own database (a copy of the run's migrated template: test/global-setup.ts), ready
// before any test file that imports these helpers runs. Files in other workers use their own.
const databaseUrl = await openWorkerDatabase(inject('testDatabase'));

/** The URL of this worker's test database. */
export function testDatabaseUrl(): string {
  return databaseUrl;
}

/** A pool on the test database, closed when the file's tests are done. */
export function useTestPool(options: { max?: number } = {}): DbPool {
  const pool = createPool(databaseUrl, options);
  afterAll(() => closePool(pool));
  return pool;
}

let shared: DbPool | undefined;

/** The pool the HTTP tests' app runs on (one per test file; setup.ts closes it). */
export function testPool(): DbPool {
  shared ??= createPool(databaseUrl);
  return shared;
}

export async function closeTestPool(): Promise<void> {
  if (shared) await closePool(shared);
  shared = undefined;
}

export async function insertFixtures(db: DbPool): Promise<void> {
  for (const a of FIXTURE_ACCOUNT_LIST) {
    await db.query('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [
      a.id,
      a.name,
      a.createdAt,
    ]);
  }
  for (const u of FIXTURE_USER_LIST) {
    await db.query(
      'INSERT INTO users (id, account_id, email, name, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [u.id, u.accountId, u.email, u.name, u.role, u.createdAt],
    );
  }
}

/** What the service would pass to create(): an acme ticket by alice, unless overridden. */
export function buildNewTicket(overrides: Partial<NewTicket> = {}): NewTicket {
  const ticket = buildTicket();
  const input = buildCreateTicketInput();
  return {
    accountId: ticket.accountId,
    createdBy: ticket.createdBy,
    subject: input.subject,
    description: input.description ?? '',
    priority: input.priority ?? 'medium',
    assigneeId: null,
    ...overrides,
  };
}

/** Stores a complete ticket row, timestamps included (create() always stamps "now"). */
export async function insertTicket(pool: DbPool, overrides: Partial<Ticket> = {}): Promise<Ticket> {
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

/** A ticket stored `minutes` ago: a request's now() is then always later than its createdAt. */
export async function insertPastTicket(minutes: number, overrides: Partial<Ticket> = {}) {
  const at = new Date(Date.now() - minutes * 60_000).toISOString();
  return insertTicket(testPool(), { createdAt: at, updatedAt: at, ...overrides });
}

/** A ticket's rows in the activity table, oldest first, in the shared Activity shape. */
export async function activityOf(ticketId: string): Promise<Activity[]> {
  const { rows } = await testPool().query(
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

/** How many rows a table holds. The names are a closed list: SQL text never takes a variable. */
export async function countRows(table: 'tickets' | 'comments' | 'activity'): Promise<number> {
  const { rows } = await testPool().query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}
