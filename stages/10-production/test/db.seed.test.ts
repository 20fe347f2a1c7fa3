import { FIXTURE_PASSWORD, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import { seedDevData } from '../src/db/seed.ts';
import { useTestPool } from './db-helpers.ts';

const pool = useTestPool();

async function counts() {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM users) AS users,
            (SELECT count(*)::int FROM tickets) AS tickets, (SELECT count(*)::int FROM comments) AS comments`,
  );
  return rows[0];
}

describe('db:seed', () => {
  it('When it runs, then the fixtures and 30 tickets with comments are there', async () => {
    const inserted = await seedDevData(pool);

    // setup.ts has already stored the fixture accounts and users: ON CONFLICT skipped them.
    expect(inserted).toMatchObject({ accounts: 0, users: 0, tickets: 30 });
    expect(inserted.comments).toBeGreaterThan(0);
    expect(await counts()).toEqual({
      accounts: 2,
      users: 5,
      tickets: 30,
      comments: inserted.comments,
    });
  });

  it('When it runs twice, then the second run inserts nothing', async () => {
    await seedDevData(pool);
    const before = await counts();

    const second = await seedDevData(pool);

    expect(second).toEqual({ accounts: 0, users: 0, tickets: 0, comments: 0 });
    expect(await counts()).toEqual(before);
  });

  it('When it runs on users without a password, then each fixture user has the development password', async () => {
    await pool.query('UPDATE users SET password_hash = NULL');

    await seedDevData(pool, 4);

    const { rows } = await pool.query('SELECT email, password_hash FROM users ORDER BY email');
    expect(rows).toHaveLength(Object.keys(FIXTURE_USERS).length);
    for (const row of rows) {
      expect(await bcrypt.compare(FIXTURE_PASSWORD, row.password_hash)).toBe(true);
    }
  });
});
