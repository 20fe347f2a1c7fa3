import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { databaseName, withDatabase } from '@backend-path/shared/testing/postgres-admin';
import { describe, expect, it } from 'vitest';
import { schemaFingerprint } from '../../labs/lib/table-keys.ts';
import { closePool, createPool } from '../../src/db/pool.ts';
import { seedDevData } from '../../src/db/seed.ts';
import { testDatabaseUrl, testPool } from '../support/db-helpers.ts';

// The labs empty and refill tables: these tests stand the stage's test database in for a
// learner's dev data and run the real `lab:seed` (small) against it, as a learner would.
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

async function labSeed(env: Record<string, string>, args: string[] = []) {
  const { DATABASE_URL, LAB_DATABASE_URL, BACKEND_PATH_DB, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'labs/seed.ts', '--rows', '2000', ...args],
      { cwd: STAGE_DIR, env: { ...inherited, ...env }, timeout: 90_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function ticketIds(): Promise<string[]> {
  const { rows } = await testPool().query<{ id: string }>('SELECT id FROM tickets ORDER BY id');
  return rows.map((row) => row.id);
}

async function markerExists(): Promise<boolean> {
  const { rows } = await testPool().query(`SELECT to_regclass('lab.marker') IS NOT NULL AS found`);
  return rows[0].found;
}

async function onPglite(): Promise<boolean> {
  const { rows } = await testPool().query<{ version: string }>('SELECT version()');
  return /PGlite|emscripten/i.test(rows[0]?.version ?? '');
}

describe('lab:seed and your data', () => {
  it('When LAB_DATABASE_URL names a database holding tickets the labs did not create, then lab:seed refuses, names --force, and changes nothing', async () => {
    await seedDevData(testPool());
    const before = await ticketIds();

    const result = await labSeed({ LAB_DATABASE_URL: testDatabaseUrl() });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('holds rows the labs did not create');
    expect(result.stderr).toContain('--force');
    expect(before).toHaveLength(30);
    expect(await ticketIds()).toEqual(before);
    expect(await markerExists()).toBe(false);
  }, 120_000);

  it('When DATABASE_URL names a dev database with tickets, then lab:seed fills `<its name>_lab` with the migrated schema and the dev tickets survive', async (context) => {
    if (await onPglite()) {
      return context.skip(
        'PGlite serves one database: the lab takes its own PGlite in .data/pglite/lab, which a test must not touch',
      );
    }
    await seedDevData(testPool());
    const before = await ticketIds();

    const result = await labSeed({ DATABASE_URL: testDatabaseUrl() }, ['--load-only']);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('COPY into a bare table, then keys');
    expect(await ticketIds()).toEqual(before);
    expect(await markerExists()).toBe(false);
    const devUrl = testDatabaseUrl();
    const lab = createPool(withDatabase(devUrl, `${databaseName(devUrl)}_lab`), { max: 1 });
    try {
      const { rows } = await lab.query('SELECT count(*)::int AS n FROM tickets');
      expect(rows[0].n).toBe(2000);
      expect(await schemaFingerprint(lab)).toEqual(await schemaFingerprint(testPool()));
    } finally {
      await closePool(lab);
    }
  }, 120_000);
});
