import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { insertTicket, testDatabaseUrl, useTestPool } from '../support/db-helpers.ts';

const pool = useTestPool();

async function rejection(sql: string, values: unknown[] = []) {
  return pool.query(sql, values).then(
    () => expect.unreachable('expected the database to reject it'),
    (error: { code?: string; constraint?: string }) => ({
      code: error.code,
      constraint: error.constraint,
    }),
  );
}

async function tables(): Promise<string[]> {
  const { rows } = await pool.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  return rows.map((r) => r.tablename);
}

describe('migrations', () => {
  it('When the migrations have run, then every table and the indexes the queries need exist', async () => {
    expect(await tables()).toEqual([
      'accounts',
      'activity',
      'comments',
      'pgmigrations',
      'tickets',
      'users',
    ]);
    const { rows } = await pool.query(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE '%\\_idx' ORDER BY 1",
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      'activity_ticket_created_idx',
      'comments_ticket_created_idx',
      'tickets_account_status_created_idx',
      'tickets_created_by_status_idx',
      'tickets_created_idx',
      'tickets_status_created_idx',
      'tickets_subject_trgm_idx',
      'users_account_id_idx',
    ]);
  });

  it('When migrate runs again, then nothing is applied', async () => {
    expect(await migrate(testDatabaseUrl())).toEqual([]);
  });

  it('When the database was migrated by another stage or an older checkout, then migrate refuses, names both migrations and says how to start afresh', async () => {
    // What a database migrated by files numbered otherwise looks like: another name in the slot.
    await pool.query(
      "UPDATE pgmigrations SET name = '0006_from_elsewhere' WHERE name = '0006_activity_outlives_ticket'",
    );
    try {
      const error = await migrate(testDatabaseUrl()).then(
        () => expect.unreachable('expected migrate to refuse'),
        (e: Error) => e.message,
      );

      expect(error).toContain('was migrated by another stage or an older checkout');
      expect(error).toContain(
        'it has 0006_from_elsewhere where this stage expects 0006_activity_outlives_ticket',
      );
      expect(error).toContain('DROP SCHEMA public CASCADE');
    } finally {
      await pool.query(
        "UPDATE pgmigrations SET name = '0006_activity_outlives_ticket' WHERE name = '0006_from_elsewhere'",
      );
    }
  });

  it('When every migration is undone and redone, then the schema comes back', async () => {
    const url = testDatabaseUrl();

    const undone = await migrate(url, { direction: 'down', count: Number.POSITIVE_INFINITY });
    const afterDown = await tables();
    const redone = await migrate(url);

    expect(undone).toEqual([
      '0007_list_indexes',
      '0006_activity_outlives_ticket',
      '0005_activity',
      '0004_comments',
      '0003_tickets',
      '0002_users',
      '0001_accounts',
    ]);
    expect(afterDown).toEqual(['pgmigrations']);
    expect(redone).toHaveLength(7);
    expect(await tables()).toHaveLength(6);
  });
});

describe('constraints', () => {
  it('When a ticket has an unknown priority, then the CHECK constraint rejects it', async () => {
    const ticket = await insertTicket(pool);

    const error = await rejection("UPDATE tickets SET priority = 'urgent' WHERE id = $1", [
      ticket.id,
    ]);

    expect(error).toEqual({ code: '23514', constraint: 'tickets_priority_valid' });
  });

  it('When a subject is longer than 200 characters or blank, then it is rejected; 200 is fine', async () => {
    const ticket = await insertTicket(pool);
    const set = (subject: string) =>
      rejection('UPDATE tickets SET subject = $2 WHERE id = $1', [ticket.id, subject]);

    expect(await set('x'.repeat(201))).toEqual({
      code: '23514',
      constraint: 'tickets_subject_length',
    });
    expect(await set('   ')).toEqual({ code: '23514', constraint: 'tickets_subject_length' });
    await pool.query('UPDATE tickets SET subject = $2 WHERE id = $1', [ticket.id, 'x'.repeat(200)]);
  });

  it('When a ticket is resolved without resolved_at, or open with one, then it is rejected', async () => {
    const ticket = await insertTicket(pool);

    const resolvedWithout = await rejection(
      "UPDATE tickets SET status = 'resolved', resolved_at = NULL WHERE id = $1",
      [ticket.id],
    );
    const openWith = await rejection('UPDATE tickets SET resolved_at = now() WHERE id = $1', [
      ticket.id,
    ]);

    expect(resolvedWithout).toEqual({
      code: '23514',
      constraint: 'tickets_resolved_at_consistent',
    });
    expect(openWith).toEqual({ code: '23514', constraint: 'tickets_resolved_at_consistent' });
  });

  it('When a required column is missing or an enum value is unknown elsewhere, then it is rejected', async () => {
    const ticket = await insertTicket(pool);

    const noSubject = await rejection('UPDATE tickets SET subject = NULL WHERE id = $1', [
      ticket.id,
    ]);
    const badRole = await rejection("UPDATE users SET role = 'root' WHERE email LIKE 'alice%'");
    const badType = await rejection(
      "INSERT INTO activity (ticket_id, actor_id, type) VALUES ($1, $2, 'archived')",
      [ticket.id, ticket.createdBy],
    );

    expect(noSubject.code).toBe('23502');
    expect(badRole).toEqual({ code: '23514', constraint: 'users_role_valid' });
    expect(badType).toEqual({ code: '23514', constraint: 'activity_type_valid' });
  });

  it('When a ticket with history is deleted, then its activity rows stay (no cascade, no foreign key)', async () => {
    const ticket = await insertTicket(pool);
    await pool.query(
      "INSERT INTO activity (ticket_id, actor_id, type, details) VALUES ($1, $2, 'resolved', '{}')",
      [ticket.id, ticket.createdBy],
    );

    await pool.query('DELETE FROM tickets WHERE id = $1', [ticket.id]);

    const { rows } = await pool.query('SELECT type FROM activity WHERE ticket_id = $1', [
      ticket.id,
    ]);
    expect(rows).toEqual([{ type: 'resolved' }]);
  });
});
