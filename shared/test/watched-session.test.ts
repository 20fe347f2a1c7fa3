import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchSession } from '../src/testing/watched-session.ts';
import { REAL_POSTGRES_URL, skipWithoutPostgres } from './services.ts';

const skip = await skipWithoutPostgres();
// A table of this run's own: nothing else locks it, and afterAll drops it.
const table = `watched_${randomBytes(3).toString('hex')}`;
let pool: pg.Pool;

beforeAll(async () => {
  if (skip) return;
  pool = new pg.Pool({ connectionString: REAL_POSTGRES_URL, max: 4 });
  await pool.query(`CREATE TABLE ${table} (n int)`);
});

afterAll(async () => {
  if (skip) return;
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

/** A connection of its own and its backend's pid: the session the work runs on. */
async function session(): Promise<{ client: pg.PoolClient; pid: number }> {
  const client = await pool.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return { client, pid: rows[0]?.pid ?? 0 };
}

describe.skipIf(skip)('watchSession (shared/src/testing/watched-session.ts)', () => {
  it('When a session left in a transaction holds a lock the work needs, then it is ended and named, and the work goes on', async () => {
    const leftover = new pg.Client({ connectionString: REAL_POSTGRES_URL });
    leftover.on('error', () => {}); // it is ended under its feet
    await leftover.connect();
    const leftoverPid = (await leftover.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
      .rows[0]?.pid;
    await leftover.query('BEGIN');
    await leftover.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const { client, pid } = await session();
    const lines: string[] = [];
    try {
      const result = await watchSession(
        pool,
        pid,
        () => client.query(`INSERT INTO ${table} VALUES (1) RETURNING n`),
        { what: 'the load', deadlineMs: 10_000, sampleEveryMs: 50, warn: (l) => lines.push(l) },
      );

      expect(result.rows).toEqual([{ n: 1 }]);
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\[the load\\] ended session ${leftoverPid} \\(idle in transaction\\), which blocked it: LOCK TABLE`,
          ),
        ),
      ]);
      await expect(leftover.query('SELECT 1')).rejects.toThrow();
    } finally {
      client.release();
      await leftover.end().catch(() => {});
    }
  });

  it('When the work outlasts its deadline, then its statement is cancelled and the error says what it waited on', async () => {
    const { client, pid } = await session();
    const started = Date.now();
    try {
      const failure = await watchSession(pool, pid, () => client.query('SELECT pg_sleep(30)'), {
        what: 'the load',
        deadlineMs: 1_000,
        sampleEveryMs: 50,
        warn: () => {},
      }).catch((error: unknown) => error as Error);

      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(
        /^the load was not done after \d+ s; looked at \d+ times, it was: \d+ × Timeout:PgSleep in "SELECT pg_sleep\(30\)".*\(cancelled\)$/,
      );
      expect(((failure as Error).cause as { code?: string }).code).toBe('57014'); // query_canceled
      // Cancelled, not left sleeping: the connection answers at once.
      expect(Date.now() - started).toBeLessThan(10_000);
      await expect(client.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
    } finally {
      client.release();
    }
  });

  it('When the work takes longer than reportEveryMs, then a line says how long and on what, while it runs', async () => {
    const { client, pid } = await session();
    const lines: string[] = [];
    try {
      await watchSession(pool, pid, () => client.query('SELECT pg_sleep(1.5)'), {
        what: 'the load',
        deadlineMs: 10_000,
        reportEveryMs: 500,
        sampleEveryMs: 50,
        warn: (l) => lines.push(l),
      });

      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines[0]).toMatch(
        /^\[the load\] still running after \d+ s; looked at \d+ times, it was: \d+ × Timeout:PgSleep in "SELECT pg_sleep\(1\.5\)"; load /,
      );
    } finally {
      client.release();
    }
  });

  it('When the work fails on its own, then its error is the one thrown, untouched', async () => {
    const { client, pid } = await session();
    try {
      await expect(
        watchSession(pool, pid, () => client.query('SELECT * FROM no_such_table_here'), {
          what: 'the load',
          deadlineMs: 10_000,
          warn: () => {},
        }),
      ).rejects.toMatchObject({ code: '42P01' });
    } finally {
      client.release();
    }
  });
});
