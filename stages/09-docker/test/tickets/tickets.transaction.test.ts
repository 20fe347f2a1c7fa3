import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { describe, expect, it } from 'vitest';
import { closePool, createPool } from '../../src/db/pool.ts';
import { withTransaction } from '../../src/db/transaction.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { insertTicket, testDatabaseUrl, useTestPool } from '../support/db-helpers.ts';

// The fault is a real one, not a mock: an actor id that no user has. The UPDATE of the ticket
// succeeds, then the activity INSERT violates activity_actor_id_fkey. (How it happens in
// production: the user was deleted between authentication and this write.)
const GHOST_ACTOR = '0b000000-0000-4000-8000-00000000dead';
const pool = useTestPool({ max: 2 });
const repo = createPgTicketRepository(pool);

async function activityCount(): Promise<number> {
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM activity');
  return rows[0].n;
}

describe('resolve in a transaction', () => {
  it('When the activity insert fails after the ticket update, then nothing changed', async () => {
    const before = await insertTicket(pool, {
      createdAt: '2026-01-05T10:00:00.000Z',
      updatedAt: '2026-01-05T10:00:00.000Z',
    });

    const attempt = repo.resolve(before.id, GHOST_ACTOR);

    // Translated by the repository: a 422 AppError, PostgreSQL's error kept as its cause.
    await expect(attempt).rejects.toMatchObject({
      status: 422,
      cause: { code: '23503', constraint: 'activity_actor_id_fkey' },
    });
    // Remove withTransaction from resolve() and this fails: the ticket stays "resolved".
    expect(await repo.findById(before.id)).toEqual(before);
    expect(await activityCount()).toBe(0);
  });

  it('When the same resolve succeeds, then the update and the activity row are both there', async () => {
    const before = await insertTicket(pool);

    await repo.resolve(before.id, FIXTURE_USERS.bob.id);

    expect((await repo.findById(before.id))?.status).toBe('resolved');
    expect(await activityCount()).toBe(1);
  });
});

describe('withTransaction', () => {
  it('When the work throws, then the error propagates and the connection returns to the pool', async () => {
    const single = createPool(testDatabaseUrl(), { max: 1, connectionTimeoutMillis: 1000 });
    try {
      const failing = withTransaction(single, async (client) => {
        await client.query("INSERT INTO accounts (name) VALUES ('Rolled back Ltd')");
        throw new Error('boom');
      });

      await expect(failing).rejects.toThrow('boom');
      // With max: 1, a client that was never released would make this query time out.
      const { rows } = await single.query(
        "SELECT count(*)::int AS n FROM accounts WHERE name = 'Rolled back Ltd'",
      );
      expect(rows[0].n).toBe(0);
      expect(single.idleCount).toBe(single.totalCount);
    } finally {
      await closePool(single);
    }
  });
});
