import type { Ticket } from '@backend-path/shared/domain/tickets';
import { FIXTURE_ACCOUNT_LIST, FIXTURE_USER_LIST } from '@backend-path/shared/seed/fixtures';
import { buildCreateTicketInput, buildTicket } from '@backend-path/shared/testing/factories';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { closePool, createPool, type DbPool } from '../src/db/pool.ts';
import type { NewTicket } from '../src/tickets/tickets.repository.ts';

/** A pool on the test database, closed when the file's tests are done. */
export function useTestPool(options: { max?: number } = {}): DbPool {
  const pool = createPool(inject('databaseUrl'), options);
  afterAll(() => closePool(pool));
  return pool;
}

export async function insertFixtures(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const a of FIXTURE_ACCOUNT_LIST) {
      await client.query('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [
        a.id,
        a.name,
        a.createdAt,
      ]);
    }
    for (const u of FIXTURE_USER_LIST) {
      await client.query(
        'INSERT INTO users (id, account_id, email, name, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [u.id, u.accountId, u.email, u.name, u.role, u.createdAt],
      );
    }
  } finally {
    await client.end();
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
