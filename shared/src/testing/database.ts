import { createHash } from 'node:crypto';
import { startPgliteServer } from './pglite-server.ts';
import {
  connectClient,
  databaseName,
  ensureDatabase,
  probeServer,
  redactUrl,
  withDatabase,
} from './postgres-admin.ts';

/** The docker-compose Postgres; the same URL as every stage's .env.example. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@localhost:5432/backend_path';

export interface ResolvedDatabase {
  url: string;
  kind: 'env' | 'local' | 'pglite';
  close(): Promise<void>;
}

interface ServerOptions {
  env?: NodeJS.ProcessEnv;
  defaultUrl?: string;
}

const HOW_TO_SWITCH =
  'set DATABASE_URL or start Postgres (docker compose up -d postgres) to use a real server';

/**
 * BACKEND_PATH_DB=pglite forces the embedded server. Otherwise: DATABASE_URL if set; else the docker-compose Postgres if it answers (its database created if
 * missing); else an embedded PGlite server with its data in <repo>/.data/pglite/<name>.
 * Prints one line saying which, so nobody wonders where their data went.
 */
export async function resolveDatabase(
  options: ServerOptions & { name?: string; quiet?: boolean } = {},
): Promise<ResolvedDatabase> {
  const server = await findServer(options);
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`[db] ${line}\n`);
  };
  if (server.kind === 'pglite') {
    const pglite = await startPgliteServer(options.name ?? 'dev');
    // Chosen on purpose: then the way back is to unset the choice, not to start a server.
    const forced = (options.env ?? process.env).BACKEND_PATH_DB === 'pglite';
    const howToSwitch = forced
      ? 'unset BACKEND_PATH_DB to use DATABASE_URL or the local Postgres'
      : HOW_TO_SWITCH;
    say(
      `using embedded PGlite at ${pglite.url} (data: ${pglite.dataDir}; ${server.reason}) — ${howToSwitch}`,
    );
    return { url: pglite.url, kind: 'pglite', close: pglite.close };
  }
  if (server.kind === 'local') {
    await ensureDatabase(withDatabase(server.url, 'postgres'), databaseName(server.url));
    say(
      `using local Postgres at ${redactUrl(server.url)} — set DATABASE_URL to use another server`,
    );
  } else {
    say(`using DATABASE_URL (${redactUrl(server.url)})`);
  }
  return { url: server.url, kind: server.kind, close: async () => {} };
}

/**
 * For a stage's vitest globalSetup. Each stage gets its own database, so stages never see each
 * other's rows or the dev data: `backend_path_test_<stage>` on a real server, or its own PGlite
 * instance (PGlite has ONE database and shares session state between connections, so two stages
 * cannot share an instance). `migrate(url)` runs once, before any test.
 */
export async function setupStageTestDatabase(
  options: ServerOptions & { stage: string; migrate?: (url: string) => Promise<void> },
): Promise<ResolvedDatabase> {
  const { stage, migrate } = options;
  const server = await findServer(options);
  let db: ResolvedDatabase;
  if (server.kind === 'pglite') {
    const pglite = await startPgliteServer(`test-${stage}`, { disposable: true });
    db = { url: pglite.url, kind: 'pglite', close: pglite.close };
    process.stderr.write(
      `[db] ${stage} tests use embedded PGlite at ${pglite.url} (data: ${pglite.dataDir}) — ${HOW_TO_SWITCH}\n`,
    );
  } else {
    // The checkout's path is in the name: two clones (or git worktrees) never share a database.
    const checkout = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 6);
    const name = `backend_path_test_${stage.replace(/[^a-zA-Z0-9]/g, '_')}_${checkout}`;
    // DATABASE_URL's own database exists by definition; on the default server, `postgres` does.
    const adminUrl = server.kind === 'env' ? server.url : withDatabase(server.url, 'postgres');
    await ensureDatabase(adminUrl, name);
    db = { url: withDatabase(server.url, name), kind: server.kind, close: async () => {} };
    const where = server.kind === 'env' ? 'DATABASE_URL' : 'local Postgres';
    process.stderr.write(`[db] ${stage} tests use ${redactUrl(db.url)} (${where})\n`);
  }
  try {
    await migrate?.(db.url);
  } catch (error: unknown) {
    await db.close();
    throw error;
  }
  return db;
}

/** Anything that runs a query: a pg Client or Pool (a stage's test pool, kept open between tests). */
export interface Queryable {
  query<R extends Record<string, unknown>>(text: string): Promise<{ rows: R[] }>;
}

/**
 * Between tests: empty every table of the public schema in ONE statement (CASCADE makes foreign
 * keys irrelevant; RESTART IDENTITY resets serials). node-pg-migrate's bookkeeping table stays,
 * or the next run would apply every migration again. Pass the stage's open pool rather than a URL
 * where tests run many times: a new connection per test costs more than the TRUNCATE itself.
 */
export async function truncateAllTables(
  target: string | Queryable,
  options: { except?: string[] } = {},
): Promise<void> {
  if (typeof target !== 'string') return truncateWith(target, options.except);
  const client = await connectClient(target, 10_000);
  try {
    await truncateWith(client, options.except);
  } finally {
    await client.end();
  }
}

async function truncateWith(db: Queryable, except: string[] = []): Promise<void> {
  const keep = new Set(['pgmigrations', ...except]);
  const { rows } = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
  );
  const tables = rows.map((row) => row.tablename).filter((table) => !keep.has(table));
  if (tables.length === 0) return;
  const list = tables.map((table) => `public."${table.replaceAll('"', '""')}"`).join(', ');
  await db.query(`TRUNCATE TABLE ${list} RESTART IDENTITY CASCADE`);
}

type FoundServer = { kind: 'env' | 'local'; url: string } | { kind: 'pglite'; reason: string };

async function findServer(options: ServerOptions): Promise<FoundServer> {
  const env = options.env ?? process.env;
  // An explicit choice wins: try a stage on the embedded database even where Postgres runs.
  if (env.BACKEND_PATH_DB === 'pglite') return { kind: 'pglite', reason: 'BACKEND_PATH_DB=pglite' };
  if (env.DATABASE_URL) return { kind: 'env', url: env.DATABASE_URL };
  const url = options.defaultUrl ?? DEFAULT_DATABASE_URL;
  // Ask the maintenance database: the target one may not exist yet, and we create it.
  const problem = await probeServer(withDatabase(url, 'postgres'));
  if (problem === null) return { kind: 'local', url };
  const { host } = new URL(url);
  const reason =
    problem === 'not running' ? `no Postgres at ${host}` : `Postgres at ${host} ${problem}`;
  return { kind: 'pglite', reason };
}
