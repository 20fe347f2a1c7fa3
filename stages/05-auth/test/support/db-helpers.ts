import type { Activity } from '@backend-path/shared/domain/activity';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import {
  FIXTURE_ACCOUNT_LIST,
  FIXTURE_USER_LIST,
  FIXTURE_USERS,
} from '@backend-path/shared/seed/fixtures';
import { buildCreateTicketInput, buildTicket } from '@backend-path/shared/testing/factories';
import { openWorkerDatabase } from '@backend-path/shared/testing/worker-database';
import { afterAll, inject } from 'vitest';
import { closePool, createPool, type DbPool } from '../../src/db/pool.ts';
import type { ChangeContext, NewTicket } from '../../src/tickets/tickets.repository.ts';
import { MAX_OPEN_TICKETS_PER_USER } from '../../src/tickets/tickets.service.ts';

// This worker's own database (a copy of the run's migrated template: test/support/global-setup.ts),
// ready before any test file that imports these helpers runs. Files in other workers use their own.
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

let keepTables = false;

/**
 * For a file whose tests only read one large dataset (tickets.plan: 100,000 tickets; its other test
 * drops indexes inside a transaction it rolls back): setup.ts empties and refills the tables
 * before the file's first test only, so the file builds the dataset once, not once per test.
 */
export function keepTablesBetweenTests(): void {
  keepTables = true;
}

/** Whether this file asked to keep its tables (setup.ts); forgotten when the file is done. */
export function tablesKeptBetweenTests(): boolean {
  return keepTables;
}

export function forgetKeptTables(): void {
  keepTables = false;
}

// One statement, not one per row: it runs before every test (setup.ts), and on a busy machine
// each round trip costs milliseconds. The users' foreign key is checked at the statement's end,
// when the accounts are in.
export async function insertFixtures(db: DbPool): Promise<void> {
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

/** The context repository tests change tickets in: bob acts, the service's real limit holds. */
export const BOB_ACTS: ChangeContext = {
  actorId: FIXTURE_USERS.bob.id,
  maxOpen: MAX_OPEN_TICKETS_PER_USER,
};

/** The ticket a repository call returned; fails the test on null or a refusal. */
export function ticketOf(result: Ticket | { refused: string } | null): Ticket {
  if (result === null || 'refused' in result) {
    throw new Error(`expected a ticket, got ${JSON.stringify(result)}`);
  }
  return result;
}

/** Every activity row, oldest first, as the table holds it (ticket gone or not). */
export async function allActivity(): Promise<Activity[]> {
  const { rows } = await testPool().query('SELECT ticket_id FROM activity GROUP BY ticket_id');
  const perTicket = await Promise.all(rows.map((row) => activityOf(row.ticket_id)));
  return perTicket.flat();
}

/** Runs `hold` while another connection holds the ticket's row lock (BEGIN … FOR UPDATE). */
export async function whileRowLocked<T>(ticketId: string, hold: () => Promise<T>): Promise<T> {
  const other = await testPool().connect();
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
export async function isPglite(): Promise<boolean> {
  const { rows } = await testPool().query<{ version: string }>('SELECT version()');
  return /emscripten|pglite/i.test(rows[0]?.version ?? '');
}
