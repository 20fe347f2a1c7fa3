import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResolvedDatabase, resolveDatabase } from '../src/testing/database.ts';
import { countQueries } from '../src/testing/query-counter.ts';

let db: ResolvedDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  // Whatever Postgres this machine has: the counter never talks to the server itself.
  db = await resolveDatabase({ name: 'shared-test-counter', quiet: true });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await db?.close();
});

describe('countQueries', () => {
  it('When a Pool sends statements, then each one is counted with its SQL text', async () => {
    const counter = countQueries(pg.Client);
    try {
      await pool.query('SELECT 1');
      await pool.query({ text: 'SELECT $1::int AS n', values: [2] });
      const client = await pool.connect();
      await client.query('SELECT 3');
      client.release();

      expect(counter.count).toBe(3);
      expect(counter.statements).toEqual(['SELECT 1', 'SELECT $1::int AS n', 'SELECT 3']);
    } finally {
      counter.stop();
    }
  });

  it('When reset() is called, then counting starts again from zero', async () => {
    const counter = countQueries(pg.Client);
    try {
      await pool.query('SELECT 1');

      counter.reset();
      await pool.query('SELECT 2');

      expect(counter.statements).toEqual(['SELECT 2']);
    } finally {
      counter.stop();
    }
  });

  it('When stop() is called, then later statements are not counted and query is restored', async () => {
    const original = pg.Client.prototype.query;
    const counter = countQueries(pg.Client);
    await pool.query('SELECT 1');

    counter.stop();
    await pool.query('SELECT 2');

    expect(counter.count).toBe(1);
    expect(pg.Client.prototype.query).toBe(original);
  });
});
