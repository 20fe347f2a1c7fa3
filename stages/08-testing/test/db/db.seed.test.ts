import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FIXTURE_PASSWORD, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import { seedDevData } from '../../src/db/seed.ts';
import { testDatabaseUrl, useTestPool } from '../support/db-helpers.ts';

const pool = useTestPool();
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** `pnpm db:seed` as a learner runs it, in a process of its own, on this worker's database. */
async function dbSeed(env: Record<string, string>) {
  const { DATABASE_URL, NODE_ENV, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/db/seed.ts'],
      { cwd: STAGE_DIR, env: { ...inherited, DATABASE_URL: testDatabaseUrl(), ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function passwordHashes() {
  const { rows } = await pool.query('SELECT id, password_hash FROM users ORDER BY id');
  return rows;
}

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

  it('When NODE_ENV is production, then it refuses, says why, and writes nothing', async () => {
    await pool.query('UPDATE users SET password_hash = NULL');
    const before = { counts: await counts(), hashes: await passwordHashes() };

    const result = await dbSeed({ NODE_ENV: 'production' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('db:seed refuses to run with NODE_ENV=production');
    expect(result.stdout).not.toContain('Seeded');
    // No fixture user got the README's password: no admin anyone can log in as.
    expect({ counts: await counts(), hashes: await passwordHashes() }).toEqual(before);
  }, 60_000);

  it('When NODE_ENV is development, then the same command seeds', async () => {
    const result = await dbSeed({ NODE_ENV: 'development' });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Seeded');
    expect((await counts()).tickets).toBe(30);
  }, 60_000);
});
