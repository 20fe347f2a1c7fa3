import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  checkoutId,
  resolveDatabase,
  type StageTestDatabase,
  setupStageTestDatabase,
  truncateAllTables,
} from '../src/testing/database.ts';
import { databaseName, withDatabase } from '../src/testing/postgres-admin.ts';
import { openWorkerDatabase } from '../src/testing/worker-database.ts';
import { REAL_POSTGRES_URL, skipWithoutPostgres, sql } from './services.ts';

const skip = await skipWithoutPostgres();
// Unique names: runs never see each other's leftovers, and afterAll drops what this run created.
const run = randomBytes(3).toString('hex');
const created: string[] = [];
const env = { DATABASE_URL: REAL_POSTGRES_URL };

async function databasesLike(pattern: string): Promise<string[]> {
  const rows = await sql<{ datname: string }>(
    REAL_POSTGRES_URL,
    'SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname',
    [pattern],
  );
  return rows.map((row) => row.datname);
}

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  if (skip) return;
  await Promise.all(
    created.map((name) => sql(REAL_POSTGRES_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  );
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

// CREATE and DROP DATABASE each wait for the disk (a DROP for a checkpoint): on a busy server,
// seconds each.
describe.skipIf(skip)('setupStageTestDatabase on a real server', { timeout: 60_000 }, () => {
  const stage = `h-${run}`;
  const migrate = vi.fn(async (url: string) => {
    await sql(url, 'CREATE TABLE migrated (id int); INSERT INTO migrated VALUES (1)');
  });
  let db: StageTestDatabase;
  let banner: string[];
  /** The URLs migrate was called with during setup (vitest clears mocks before each test). */
  let migrated: string[];

  beforeAll(async () => {
    if (skip) return;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    db = await setupStageTestDatabase({ stage, env, migrate });
    banner = stderr.mock.calls.map(([chunk]) => String(chunk));
    migrated = migrate.mock.calls.map(([url]) => url);
    stderr.mockRestore();
  });

  afterAll(() => db?.close());

  it('When a stage sets up, then one template named by stage, checkout and run is migrated once, and one banner line says so', () => {
    if (db.template.kind === 'pglite') throw new Error('expected a real server');
    const name = databaseName(db.template.url);
    const [seconds, pid] = name.split('_').slice(-4, -2);

    expect(name).toMatch(new RegExp(`^backend_path_test_h_${run}_${checkoutId()}_\\w+_t$`));
    expect(Number.parseInt(pid ?? '', 36)).toBe(process.pid);
    expect(Math.abs(Number.parseInt(seconds ?? '', 36) * 1000 - Date.now())).toBeLessThan(600_000);
    expect(migrated).toEqual([db.template.url]);
    expect(banner).toHaveLength(1);
    expect(banner[0]).toContain(`[db] ${stage} tests use`);
  });

  it('When two workers open their databases, then each gets its own migrated copy, with fast commits', async () => {
    const [one, two] = await Promise.all([
      openWorkerDatabase(db.template, '1'),
      openWorkerDatabase(db.template, '2'),
    ]);
    await sql(one, 'INSERT INTO migrated VALUES (2)');

    expect(databaseName(one)).toMatch(/_w1$/);
    expect(databaseName(two)).toMatch(/_w2$/);
    expect(await sql(one, 'SELECT count(*)::int AS n FROM migrated')).toEqual([{ n: 2 }]);
    expect(await sql(two, 'SELECT count(*)::int AS n FROM migrated')).toEqual([{ n: 1 }]);
    expect(await sql(two, 'SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'off' }]);
    expect(await openWorkerDatabase(db.template, '1')).toBe(one);
  });

  it('When the same stage sets up twice at once (two runs), then they never share a database, and close() drops each run’s template and worker copies', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const [a, b] = await Promise.all([
      setupStageTestDatabase({ stage: `${stage}-twice`, env }),
      setupStageTestDatabase({ stage: `${stage}-twice`, env }),
    ]);
    await openWorkerDatabase(a.template, '1');
    const pattern = `backend_path_test_h_${run}_twice_%`;
    const before = await databasesLike(pattern);

    await Promise.all([a.close(), b.close()]);

    expect(a.template).not.toEqual(b.template);
    expect(before).toHaveLength(3);
    expect(await databasesLike(pattern)).toEqual([]);
  });

  it('When a crashed run left databases behind, then the next setup drops them, and never a live run’s', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const now = Math.floor(Date.now() / 1000);
    const dead = 2_147_483_646; // no such process
    const crashed = `backend_path_test_h_${run}_left_${checkoutId()}_${now.toString(36)}_${dead.toString(36)}_00_w1`;
    const ancient = `backend_path_test_h_${run}_old_000000_${(now - 7 * 3600).toString(36)}_1_00_t`;
    const live = `backend_path_test_h_${run}_live_000000_${now.toString(36)}_1_00_t`;
    created.push(crashed, ancient, live);
    for (const name of [crashed, ancient, live])
      await sql(REAL_POSTGRES_URL, `CREATE DATABASE "${name}"`);

    const next = await setupStageTestDatabase({ stage: `${stage}-next`, env });
    await next.close();

    const left = await databasesLike(`backend_path_test_h_${run}_%`);
    expect(left).toContain(live);
    expect(left).not.toContain(crashed);
    expect(left).not.toContain(ancient);
  });
});

describe.skipIf(skip)('truncateAllTables on a real server', () => {
  let db: StageTestDatabase;

  beforeAll(async () => {
    if (skip) return;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    db = await setupStageTestDatabase({ stage: `ht-${run}`, env });
    stderr.mockRestore();
  });

  afterAll(() => db?.close());

  it('When tables hold rows, then all are emptied and identities restart, but pgmigrations and "except" keep theirs', async () => {
    const url = await openWorkerDatabase(db.template, '1');
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
    const url = await openWorkerDatabase(db.template, '2');
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

  it('When a table is big, one has a trigger, or a kept table references one, then each is still emptied as TRUNCATE would', async () => {
    const url = await openWorkerDatabase(db.template, '4');
    await sql(
      url,
      `CREATE TABLE big (id serial PRIMARY KEY, pad text);
       INSERT INTO big (pad) SELECT repeat('x', 200) FROM generate_series(1, 20000);
       CREATE TABLE small (id serial PRIMARY KEY, big_id int REFERENCES big(id));
       INSERT INTO small (big_id) VALUES (1);`,
    );

    await truncateAllTables(url);

    expect(await sql(url, 'SELECT count(*)::int AS n FROM big')).toEqual([{ n: 0 }]);
    expect(await sql(url, 'SELECT count(*)::int AS n FROM small')).toEqual([{ n: 0 }]);
    expect(await sql(url, 'INSERT INTO big DEFAULT VALUES RETURNING id')).toEqual([{ id: 1 }]);
    expect(await sql(url, "SELECT pg_relation_size('big') < 65536 AS fresh")).toEqual([
      { fresh: true },
    ]);

    // A DELETE trigger TRUNCATE would not fire, and a kept table that references an emptied one
    // (TRUNCATE … CASCADE empties it too): both keep the single TRUNCATE.
    await sql(
      url,
      `CREATE TABLE audit (note text);
       CREATE FUNCTION audit_delete() RETURNS trigger LANGUAGE plpgsql AS
         $$BEGIN INSERT INTO audit VALUES ('deleted'); RETURN OLD; END$$;
       CREATE TRIGGER small_delete AFTER DELETE ON small FOR EACH ROW EXECUTE FUNCTION audit_delete();
       INSERT INTO small (big_id) VALUES (1);`,
    );
    await truncateAllTables(url, { except: ['audit'] });
    expect(await sql(url, 'SELECT count(*)::int AS n FROM small')).toEqual([{ n: 0 }]);
    expect(await sql(url, 'SELECT count(*)::int AS n FROM audit')).toEqual([{ n: 0 }]);
  });

  it('When the public schema has no tables, then it does nothing', async () => {
    const url = await openWorkerDatabase(db.template, '3');

    await expect(truncateAllTables(url)).resolves.toBeUndefined();
  });
});
