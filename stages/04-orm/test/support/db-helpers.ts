import type { Ticket } from '@backend-path/shared/domain/tickets';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildCreateTicketInput, buildTicket } from '@backend-path/shared/testing/factories';
import * as rows from '@backend-path/shared/testing/ticket-rows';
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

// The rows every database stage shares, in plain SQL (shared/src/testing/ticket-rows.ts): the
// fixtures, a stored ticket, and what a test reads back, on this worker's pool.
export { insertFixtures, insertTicket } from '@backend-path/shared/testing/ticket-rows';
export const activityOf = (ticketId: string) => rows.activityOf(testPool(), ticketId);
export const allActivity = () => rows.allActivity(testPool());
export const countRows = (table: 'tickets' | 'comments' | 'activity') =>
  rows.countRows(testPool(), table);
export const whileRowLocked = <T>(ticketId: string, hold: () => Promise<T>) =>
  rows.whileRowLocked(testPool(), ticketId, hold);
export const isPglite = () => rows.isPglite(testPool());

/** A ticket stored `minutes` ago: a request's now() is then always later than its createdAt. */
export async function insertPastTicket(minutes: number, overrides: Partial<Ticket> = {}) {
  const at = new Date(Date.now() - minutes * 60_000).toISOString();
  return rows.insertTicket(testPool(), { createdAt: at, updatedAt: at, ...overrides });
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
