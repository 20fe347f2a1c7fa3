import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  resolveDatabase,
  setupStageTestDatabase,
  truncateAllTables,
} from '../src/testing/database.ts';
import { withDatabase } from '../src/testing/postgres-admin.ts';
import { REAL_POSTGRES_URL, skipWithoutPostgres } from './services.ts';

const skip = await skipWithoutPostgres();
// Unique names: runs never see each other's leftovers, and afterAll drops what this run created.
const run = randomBytes(3).toString('hex');
const created: string[] = [];

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  if (skip) return;
  for (const name of created) {
    await sql(REAL_POSTGRES_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
});

describe.skipIf(skip)('resolveDatabase on a real server', () => {
  it('When DATABASE_URL is set, then that URL is used as is, kind "env"', async () => {
    const db = await resolveDatabase({ env: { DATABASE_URL: REAL_POSTGRES_URL }, quiet: true });

    expect(db.kind).toBe('env');
    expect(db.url).toBe(REAL_POSTGRES_URL);
    expect(await sql(db.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await db.close();
  });

  it('When only the default server answers, then kind is "local" and its missing database is created', async () => {
    const name = `bp_harness_local_${run}`;
    created.push(name);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const db = await resolveDatabase({
      env: {},
      defaultUrl: withDatabase(REAL_POSTGRES_URL, name),
    });

    expect(db.kind).toBe('local');
    expect(await sql(db.url, 'SELECT current_database() AS db')).toEqual([{ db: name }]);
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/^\[db\] using local Postgres at .*\n$/);
    await db.close();
  });
});

describe.skipIf(skip)('setupStageTestDatabase on a real server', () => {
  const stageA = `harness-a-${run}`;
  const stageB = `harness-b-${run}`;
  // Each database name ends with a hash of the checkout's path (two clones never share one).
  const checkout = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 6);
  created.push(
    `backend_path_test_harness_a_${run}_${checkout}`,
    `backend_path_test_harness_b_${run}_${checkout}`,
    `backend_path_test_harness_c_${run}_${checkout}`,
  );
  const env = { DATABASE_URL: REAL_POSTGRES_URL };

  it('When two stages set up, then each gets its own backend_path_test_<stage> database', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const a = await setupStageTestDatabase({ stage: stageA, env });
    const b = await setupStageTestDatabase({ stage: stageB, env });

    await sql(a.url, 'CREATE TABLE only_in_a (id int)');

    expect(a.url).toBe(
      withDatabase(REAL_POSTGRES_URL, `backend_path_test_harness_a_${run}_${checkout}`),
    );
    expect(await sql(a.url, "SELECT to_regclass('only_in_a') IS NOT NULL AS seen")).toEqual([
      { seen: true },
    ]);
    expect(await sql(b.url, "SELECT to_regclass('only_in_a') IS NOT NULL AS seen")).toEqual([
      { seen: false },
    ]);
  });

  it('When a stage sets up, then migrate runs once, with that stage database URL', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const migrate = vi.fn(async (_url: string) => {});

    const db = await setupStageTestDatabase({ stage: stageA, env, migrate });

    expect(migrate).toHaveBeenCalledTimes(1);
    expect(migrate).toHaveBeenCalledWith(db.url);
  });
});

describe.skipIf(skip)('truncateAllTables on a real server', () => {
  it('When tables hold rows, then all are emptied and identities restart, but pgmigrations and "except" keep theirs', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { url } = await setupStageTestDatabase({
      stage: `harness-a-${run}`,
      env: { DATABASE_URL: REAL_POSTGRES_URL },
    });
    await sql(
      url,
      `CREATE TABLE pgmigrations (id serial PRIMARY KEY, name text);
       CREATE TABLE parents (id serial PRIMARY KEY);
       CREATE TABLE children (id serial PRIMARY KEY, parent_id int REFERENCES parents(id));
       CREATE TABLE lookup (code text PRIMARY KEY);
       INSERT INTO pgmigrations (name) VALUES ('001_init');
       INSERT INTO parents DEFAULT VALUES;
       INSERT INTO children (parent_id) VALUES (1);
       INSERT INTO lookup VALUES ('open');`,
    );

    await truncateAllTables(url, { except: ['lookup'] });

    expect(await sql(url, 'SELECT count(*)::int AS n FROM parents')).toEqual([{ n: 0 }]);
    expect(await sql(url, 'SELECT count(*)::int AS n FROM children')).toEqual([{ n: 0 }]);
    expect(await sql(url, 'SELECT name FROM pgmigrations')).toEqual([{ name: '001_init' }]);
    expect(await sql(url, 'SELECT code FROM lookup')).toEqual([{ code: 'open' }]);
    expect(await sql(url, 'INSERT INTO parents DEFAULT VALUES RETURNING id')).toEqual([{ id: 1 }]);
  });

  it('When given an open pool, then it empties the tables through it, opening no connection of its own', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { url } = await setupStageTestDatabase({
      stage: `harness-c-${run}`,
      env: { DATABASE_URL: REAL_POSTGRES_URL },
    });
    await sql(url, 'CREATE TABLE notes (id serial PRIMARY KEY); INSERT INTO notes DEFAULT VALUES;');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await truncateAllTables(pool);

      expect(pool.totalCount).toBe(1);
      expect(await sql(url, 'SELECT count(*)::int AS n FROM notes')).toEqual([{ n: 0 }]);
    } finally {
      await pool.end();
    }
  });

  it('When the public schema has no tables, then it does nothing', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { url } = await setupStageTestDatabase({
      stage: `harness-b-${run}`,
      env: { DATABASE_URL: REAL_POSTGRES_URL },
    });

    await expect(truncateAllTables(url)).resolves.toBeUndefined();
  });
});
