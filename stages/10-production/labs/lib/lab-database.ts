import { startPgliteServer } from '@backend-path/shared/testing/pglite-server';
import {
  connectClient,
  databaseName,
  ensureDatabase,
  probeServer,
  redactUrl,
  withDatabase,
} from '@backend-path/shared/testing/postgres-admin';
import { DEFAULT_DATABASE_URL } from '../../src/config.ts';
import { migrate } from '../../src/db/migrate.ts';
import { closePool, createPool, type DbPool } from '../../src/db/pool.ts';

// Every lab opens its database here, and only here: `const db = await openLabDatabase()`, then
// `db.pool` (or `db.url` for a child server or an ORM), and `await db.close()` at the end.
// LESSON: a lab empties and refills tables, so it never runs on your dev data. Where it runs:
//   1. LAB_DATABASE_URL, if set;
//   2. BACKEND_PATH_DB=pglite: an embedded PGlite of its own (.data/pglite/lab);
//   3. the server DATABASE_URL names (else the local default), database `<that name>_lab`
//      (`backend_path_lab`), created if missing;
//   4. no server answers, or it is a PGlite (one database only): the embedded PGlite.
// Then it claims the database (a marker table, lab.marker) before migrating it, and refuses one
// that holds rows the labs did not create, unless the command line says --force: it prints why
// and exits 1 (claimLabDatabase throws LabDatabaseRefused, for code that wants to catch it).

export interface LabDatabase {
  url: string;
  kind: 'lab-url' | 'server' | 'pglite';
  pool: DbPool;
  /** PGlite (Postgres in WebAssembly): no COPY FROM STDIN, one backend for every connection. */
  isPglite: boolean;
  version: string;
  close(): Promise<void>;
}

export interface OpenLabOptions {
  env?: NodeJS.ProcessEnv;
  /** Take over a database that holds other rows (they will be deleted). Default: `--force` in argv. */
  force?: boolean;
}

export const LAB_MARKER = 'lab.marker';

export class LabDatabaseRefused extends Error {}

interface Found {
  url: string;
  kind: LabDatabase['kind'];
  close(): Promise<void>;
}

const isPgliteVersion = (version: string) => /PGlite|emscripten/i.test(version);

async function findLabDatabase(env: NodeJS.ProcessEnv): Promise<Found> {
  const none = async () => {};
  if (env.LAB_DATABASE_URL) return { url: env.LAB_DATABASE_URL, kind: 'lab-url', close: none };
  const pglite = async (reason: string): Promise<Found> => {
    const server = await startPgliteServer('lab');
    process.stderr.write(
      `[lab] embedded PGlite at ${server.url} (data: ${server.dataDir}; ${reason})\n`,
    );
    return { url: server.url, kind: 'pglite', close: server.close };
  };
  if (env.BACKEND_PATH_DB === 'pglite') return pglite('BACKEND_PATH_DB=pglite');
  const configured = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  // DATABASE_URL's own database exists by definition; on the default server, `postgres` does.
  const adminUrl = env.DATABASE_URL ? configured : withDatabase(configured, 'postgres');
  const problem = await probeServer(adminUrl);
  if (problem !== null)
    return pglite(`no lab database: Postgres at ${new URL(configured).host} ${problem}`);
  const admin = await connectClient(adminUrl);
  const { rows } = await admin.query<{ version: string }>('SELECT version()');
  await admin.end();
  if (isPgliteVersion(rows[0]?.version ?? '')) {
    return pglite('DATABASE_URL is a PGlite, which has one database only');
  }
  const name = databaseName(configured);
  const url = withDatabase(configured, name.endsWith('_lab') ? name : `${name}_lab`);
  await ensureDatabase(adminUrl, databaseName(url));
  return { url, kind: 'server', close: none };
}

/** Creates lab.marker, unless the database holds rows the labs did not create (then refuses). */
export async function claimLabDatabase(pool: DbPool, where: string, force: boolean): Promise<void> {
  const { rows } = await pool.query(`SELECT to_regclass('${LAB_MARKER}') IS NOT NULL AS claimed`);
  if (rows[0]?.claimed) return;
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
     WHERE schemaname = 'public' AND tablename <> 'pgmigrations' ORDER BY tablename`,
  );
  const holding: string[] = [];
  for (const { name } of tables) {
    const quoted = `public."${name.replaceAll('"', '""')}"`;
    const found = await pool.query(`SELECT 1 FROM ${quoted} LIMIT 1`);
    if (found.rowCount) holding.push(name);
  }
  if (holding.length > 0 && !force) {
    throw new LabDatabaseRefused(
      `${where} holds rows the labs did not create (in ${holding.join(', ')}), and labs empty ` +
        'and refill their tables. Nothing was changed. Point LAB_DATABASE_URL at another ' +
        'database, or run the lab again with --force to let it take this one (its rows will be lost).',
    );
  }
  await pool.query(`CREATE SCHEMA IF NOT EXISTS lab;
    CREATE TABLE IF NOT EXISTS ${LAB_MARKER} (claimed_at timestamptz NOT NULL DEFAULT now());
    COMMENT ON TABLE ${LAB_MARKER} IS 'This database belongs to the labs: they empty and refill it.';
    INSERT INTO ${LAB_MARKER} DEFAULT VALUES;`);
}

export async function openLabDatabase(options: OpenLabOptions = {}): Promise<LabDatabase> {
  const found = await findLabDatabase(options.env ?? process.env);
  const pool = createPool(found.url, { max: 4, connectionTimeoutMillis: 10_000 });
  try {
    const where = found.kind === 'pglite' ? 'The lab PGlite' : redactUrl(found.url);
    await claimLabDatabase(pool, where, options.force ?? process.argv.includes('--force'));
    await migrate(found.url);
    const { rows } = await pool.query<{ version: string }>('SELECT version()');
    const version = rows[0]?.version ?? '';
    if (found.kind !== 'pglite') process.stderr.write(`[lab] database: ${where}\n`);
    return {
      url: found.url,
      kind: found.kind,
      pool,
      isPglite: isPgliteVersion(version),
      version: version.split(' on ')[0] ?? version,
      async close() {
        await closePool(pool);
        await found.close();
      },
    };
  } catch (error: unknown) {
    await closePool(pool);
    await found.close();
    // A refusal is an answer, not a crash: the reason and what to do, without a stack trace.
    if (error instanceof LabDatabaseRefused) {
      console.error(`[lab] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
