import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ResolvedDatabase,
  resolveDatabase,
  type StageTestDatabase,
  setupStageTestDatabase,
  truncateAllTables,
} from '../src/testing/database.ts';
import { copyBlank, PGLITE_DATA_ROOT, PGLITE_TEST_ROOT } from '../src/testing/pglite-server.ts';
import { openWorkerDatabase } from '../src/testing/worker-database.ts';
import { sql } from './services.ts';

// Nothing listens on port 1: the harness must fall back to the embedded PGlite.
const env = {};
const defaultUrl = 'postgres://postgres@127.0.0.1:1/x';

// PGlite takes seconds to start: every instance is started once, here, and shared by the tests.
let dev: ResolvedDatabase;
let banner: string[];
let forced: ResolvedDatabase;
let forcedBanner: string[];
let stageA: StageTestDatabase;
let stageB: StageTestDatabase;
let stageBanner: string[];
/** The URLs migrate was called with while the stages set up (vitest clears mocks before each test). */
let migrated: string[];
// Accepts connections and never says a word: a hung server must not hang the harness.
const silent: Server = createServer(() => {});
const migrate = vi.fn(async (url: string) => {
  await sql(url, 'CREATE TABLE migrated (id int); INSERT INTO migrated VALUES (1)');
});

beforeAll(async () => {
  // A crashed run leaves its lock behind with a pid that no longer exists.
  mkdirSync(PGLITE_DATA_ROOT, { recursive: true });
  writeFileSync(join(PGLITE_DATA_ROOT, 'shared-test-dev.lock'), '2147483646');
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentUrl = `postgres://postgres@127.0.0.1:${(silent.address() as { port: number }).port}/x`;
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  dev = await resolveDatabase({ name: 'shared-test-dev', env, defaultUrl });
  banner = stderr.mock.calls.map(([chunk]) => String(chunk));
  stderr.mockClear();
  [stageA, stageB] = await Promise.all([
    setupStageTestDatabase({ stage: 'shared-harness-a', env, defaultUrl, migrate }),
    setupStageTestDatabase({ stage: 'shared-harness-b', env, defaultUrl: silentUrl }),
  ]);
  stageBanner = stderr.mock.calls.map(([chunk]) => String(chunk));
  migrated = migrate.mock.calls.map(([url]) => url);
  stderr.mockClear();
  forced = await resolveDatabase({
    name: 'shared-test-forced',
    env: { BACKEND_PATH_DB: 'pglite', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' },
  });
  forcedBanner = stderr.mock.calls.map(([chunk]) => String(chunk));
  stderr.mockRestore();
  // three PGlite data dirs created at once: CPU-bound, and the CPU may be shared
}, 180_000);

afterAll(async () => {
  silent.close();
  await Promise.all([dev?.close(), forced?.close(), stageA?.close(), stageB?.close()]);
});

describe('resolveDatabase without any Postgres server', () => {
  it('When nothing answers, then it starts an embedded PGlite that pg can query', async () => {
    const rows = await sql(dev.url, 'SELECT current_database() AS db, version() AS version');

    expect(dev.kind).toBe('pglite');
    expect(dev.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(rows[0]?.version).toContain('PGlite');
  });

  it('When a migration creates pg_trgm and a trigram index, then the embedded server loads it', async () => {
    // Stage 03's search index needs the extension; PGlite has it only when created with it.
    await sql(dev.url, 'CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await sql(dev.url, 'CREATE TABLE IF NOT EXISTS trgm_probe (subject text)');
    await sql(
      dev.url,
      'CREATE INDEX IF NOT EXISTS trgm_probe_idx ON trgm_probe USING gin (subject gin_trgm_ops)',
    );
    const rows = await sql(
      dev.url,
      "SELECT similarity('printer jam', 'printer jammed') > 0.5 AS similar",
    );

    expect(rows[0]?.similar).toBe(true);
  });

  it('When it falls back, then it prints one banner line naming the data dir and how to switch', () => {
    expect(banner).toHaveLength(1);
    expect(banner[0]).toContain('[db] using embedded PGlite at');
    expect(banner[0]).toContain('.data/pglite/shared-test-dev');
    expect(banner[0]).toContain('docker compose up -d postgres');
  });

  it('When a crashed run left its lock behind, then the data dir opens anyway and the lock is ours', () => {
    // beforeAll planted a stale lock before resolving: getting here means it was taken over.
    const owner = readFileSync(join(PGLITE_DATA_ROOT, 'shared-test-dev.lock'), 'utf8');

    expect(owner).toBe(String(process.pid));
  });

  it('When another live process holds the data dir, then it refuses with who holds it', async () => {
    const lock = join(PGLITE_DATA_ROOT, 'shared-test-locked.lock');
    writeFileSync(lock, String(process.ppid));
    try {
      await expect(
        resolveDatabase({ name: 'shared-test-locked', env, defaultUrl, quiet: true }),
      ).rejects.toThrow(`already in use by process ${process.ppid}`);
    } finally {
      rmSync(lock, { force: true });
    }
  });
});

describe('resolveDatabase with BACKEND_PATH_DB=pglite', () => {
  it('When it is set, then PGlite is used even though DATABASE_URL names a server', async () => {
    expect(forced.kind).toBe('pglite');
    const [row] = await sql<{ version: string }>(forced.url, 'SELECT version() AS version');
    expect(row?.version).toMatch(/PostgreSQL/);
  });

  it('When PGlite is chosen on purpose, then the banner says how to undo the choice, not to start Postgres', () => {
    expect(forcedBanner).toHaveLength(1);
    expect(forcedBanner[0]).toContain('[db] using embedded PGlite at');
    expect(forcedBanner[0]).toContain('BACKEND_PATH_DB=pglite');
    expect(forcedBanner[0]).toContain('unset BACKEND_PATH_DB');
    expect(forcedBanner[0]).not.toContain('start Postgres');
  });
});

describe('setupStageTestDatabase on PGlite', () => {
  it('When two stages set up, then each has its own PGlite: a table in one is absent from the other', async () => {
    const [urlA, urlB] = await Promise.all([
      openWorkerDatabase(stageA.template, '1'),
      openWorkerDatabase(stageB.template, '1'),
    ]);
    await sql(urlA, 'DROP TABLE IF EXISTS only_in_a; CREATE TABLE only_in_a (id int)');

    const seenFromB = await sql(urlB, "SELECT to_regclass('only_in_a') IS NOT NULL AS seen");

    expect([stageA.kind, stageB.kind]).toEqual(['pglite', 'pglite']);
    expect(urlA).not.toBe(urlB);
    expect(seenFromB).toEqual([{ seen: false }]);
    expect(stageBanner.filter((line) => line.includes('shared-harness-a'))).toHaveLength(1);
  });

  it('When the default server accepts connections but never answers, then it falls back to PGlite too', () => {
    expect(stageB.kind).toBe('pglite');
  });

  it('When a stage sets up, then migrate runs once, on the template instance', () => {
    expect(migrated).toEqual([
      expect.stringMatching(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/),
    ]);
  });

  it('When two workers open the template, then each gets its own instance holding the migrated rows', async () => {
    const [one, two] = await Promise.all([
      openWorkerDatabase(stageA.template, '1'),
      openWorkerDatabase(stageA.template, '2'),
    ]);
    await sql(one, 'INSERT INTO migrated VALUES (2)');

    expect(one).not.toBe(two);
    expect(await sql(one, 'SELECT count(*)::int AS n FROM migrated')).toEqual([{ n: 2 }]);
    expect(await sql(two, 'SELECT count(*)::int AS n FROM migrated')).toEqual([{ n: 1 }]);
  });

  it('When a run closes, then its template and worker data dirs are deleted', async () => {
    // A run of its own: closing stage A would pull the data dirs from under the other tests
    // (in a shuffled order, they may come after this one).
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const run = await setupStageTestDatabase({ stage: 'shared-harness-c', env, defaultUrl });
    stderr.mockRestore();
    await openWorkerDatabase(run.template, '1');
    const name = run.template.kind === 'pglite' ? run.template.name : '';
    const existed = [name, `${name}-w1`].map((dir) => existsSync(join(PGLITE_TEST_ROOT, dir)));

    await run.close();

    expect(existed).toEqual([true, true]);
    expect(existsSync(join(PGLITE_TEST_ROOT, name))).toBe(false);
    expect(existsSync(join(PGLITE_TEST_ROOT, `${name}-w1`))).toBe(false);
  });
});

describe('truncateAllTables on PGlite', () => {
  it('When tables hold rows, then all are emptied and identities restart, but pgmigrations keeps its rows', async () => {
    const url = await openWorkerDatabase(stageB.template, '1');
    await sql(
      url,
      `DROP TABLE IF EXISTS children, parents, pgmigrations;
       CREATE TABLE pgmigrations (id serial PRIMARY KEY, name text);
       CREATE TABLE parents (id serial PRIMARY KEY);
       CREATE TABLE children (id serial PRIMARY KEY, parent_id int REFERENCES parents(id));
       INSERT INTO pgmigrations (name) VALUES ('001_init');
       INSERT INTO parents DEFAULT VALUES;
       INSERT INTO children (parent_id) VALUES (1);`,
    );

    await truncateAllTables(url);

    expect(await sql(url, 'SELECT count(*)::int AS n FROM children')).toEqual([{ n: 0 }]);
    expect(await sql(url, 'SELECT name FROM pgmigrations')).toEqual([{ name: '001_init' }]);
    expect(await sql(url, 'INSERT INTO parents DEFAULT VALUES RETURNING id')).toEqual([{ id: 1 }]);
  });
});

describe('A fresh clone', () => {
  it('When nothing has made .data/pglite yet and the first data dir is a test one (in memory), then the blank is made there and copied', async () => {
    // On Linux test data lives in /dev/shm, so opening it never makes .data/pglite; the blank that
    // every data dir is copied from lives there. A learner's first `pnpm test` without Postgres.
    const clone = mkdtempSync(join(tmpdir(), 'bp-fresh-clone-'));
    const root = join(clone, '.data', 'pglite');
    const dataDir = join(clone, 'in-memory', 'stage-w1');
    mkdirSync(dirname(dataDir));
    try {
      await copyBlank(dataDir, root);

      expect(existsSync(join(root, '.blank', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});
