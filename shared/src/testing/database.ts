import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  createPgliteDataDir,
  isAlive,
  PGLITE_DATA_ROOT,
  PGLITE_TEST_ROOT,
  startPgliteServer,
} from './pglite-server.ts';
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
 * What a stage's vitest globalSetup hands its workers (through `provide`): where the migrated
 * template is. Each worker turns it into a database of its own (openWorkerDatabase).
 */
export type TestDatabaseTemplate =
  | { kind: 'env' | 'local'; url: string; adminUrl: string }
  | { kind: 'pglite'; name: string };

export interface StageTestDatabase {
  kind: ResolvedDatabase['kind'];
  template: TestDatabaseTemplate;
  /** Drops this run's template and worker databases (PGlite: deletes their data dirs). */
  close(): Promise<void>;
}

/**
 * For a stage's vitest globalSetup. Once per run: a template database named by the stage, this
 * checkout and this run (`backend_path_test_<stage>_<checkout>_<run>_t`), migrated with `migrate`.
 * Each vitest worker then gets its own copy (openWorkerDatabase: `CREATE DATABASE … TEMPLATE`),
 * so test files run in parallel, and two runs of a stage never share a database. Databases that
 * crashed runs left behind are dropped first. PGlite (one database per instance): a migrated
 * template data dir, which each worker copies and opens as its own instance (in PGLITE_TEST_ROOT:
 * in memory where Linux has room).
 */
export async function setupStageTestDatabase(
  options: ServerOptions & { stage: string; migrate?: (url: string) => Promise<void> },
): Promise<StageTestDatabase> {
  const { stage, migrate } = options;
  const server = await findServer(options);
  const run = runId();
  if (server.kind === 'pglite') {
    dropPgliteLeftovers(stage);
    const name = `test-${stage}-${run}`;
    // Nothing to migrate: the template is a blank data dir, and no instance needs to start.
    const pglite = migrate ? await startPgliteServer(name, { disposable: true }) : undefined;
    const dataDir = pglite?.dataDir ?? (await createPgliteDataDir(name));
    process.stderr.write(
      `[db] ${stage} tests use embedded PGlite, one instance per worker (template: ${dataDir}) — ${HOW_TO_SWITCH}\n`,
    );
    try {
      if (pglite && migrate) await migrate(pglite.url);
    } finally {
      await pglite?.close();
    }
    return {
      kind: 'pglite',
      template: { kind: 'pglite', name },
      close: async () => removePgliteRun(name),
    };
  }
  // DATABASE_URL's own database exists by definition; on the default server, `postgres` does.
  const adminUrl = server.kind === 'env' ? server.url : withDatabase(server.url, 'postgres');
  await dropLeftovers(adminUrl);
  const prefix = `${TEST_DB_PREFIX}${slug(stage)}_${checkoutId()}_${run}`;
  const url = withDatabase(server.url, `${prefix}_t`);
  await ensureDatabase(adminUrl, `${prefix}_t`);
  const template: TestDatabaseTemplate = { kind: server.kind, url, adminUrl };
  const close = () => dropDatabases(adminUrl, prefix);
  const where = server.kind === 'env' ? 'DATABASE_URL' : 'local Postgres';
  process.stderr.write(
    `[db] ${stage} tests use ${redactUrl(url)} (${where}) as the template; each worker gets a copy (…_w1p…, …_w2p…)\n`,
  );
  try {
    await fastCommits(adminUrl, `${prefix}_t`);
    await migrate?.(url);
  } catch (error: unknown) {
    await close();
    throw error;
  }
  return { kind: server.kind, template, close };
}

const TEST_DB_PREFIX = 'backend_path_test_';
// A test run never lasts this long: anything older is a leftover, whoever left it.
const LEFTOVER_AGE_MS = 6 * 3600_000;

/**
 * `<seconds>_<pid>_<random>` (base 36): when and by whom, so leftovers can be told from live runs;
 * the random part keeps two setups of one process apart.
 */
function runId(): string {
  const random = Math.floor(Math.random() * 36 ** 2)
    .toString(36)
    .padStart(2, '0');
  return `${Math.floor(Date.now() / 1000).toString(36)}_${process.pid.toString(36)}_${random}`;
}

function slug(stage: string): string {
  return stage
    .replace(/[^a-zA-Z0-9]/g, '_')
    .toLowerCase()
    .slice(0, 14);
}

/** This machine and checkout: two clones or worktrees never share a database. */
export function checkoutId(): string {
  return createHash('sha1').update(`${hostname()}:${process.cwd()}`).digest('hex').slice(0, 6);
}

// <prefix><stage>_<checkout>_<seconds>_<pid>_<random>_<t|w1p…>: at most 63 bytes, Postgres's limit
// (the stage's slug is cut at 14 characters for it).
const RUN_NAME =
  /^backend_path_test_\w+?_([0-9a-f]{6})_([0-9a-z]+)_([0-9a-z]+)_[0-9a-z]{2}_(t|w[0-9a-z]+)$/;

/** A run's databases are leftovers when its process is gone (same checkout) or it is hours old. */
function isLeftover(name: string): boolean {
  const match = RUN_NAME.exec(name);
  if (!match) return false;
  const [, checkout, seconds, pid] = match;
  const age = Date.now() - Number.parseInt(seconds ?? '', 36) * 1000;
  if (age > LEFTOVER_AGE_MS) return true;
  return checkout === checkoutId() && !isAlive(Number.parseInt(pid ?? '', 36));
}

async function dropLeftovers(adminUrl: string): Promise<void> {
  const client = await connectClient(adminUrl);
  let leftovers: string[];
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${TEST_DB_PREFIX}%`],
    );
    leftovers = rows.map((row) => row.datname).filter(isLeftover);
  } finally {
    await client.end();
  }
  // Without FORCE: a database someone is still connected to is not a leftover after all.
  await Promise.all(leftovers.map((name) => dropDatabase(adminUrl, name, '').catch(() => {})));
}

/** The run's template and every worker's copy, all at once (each DROP waits for a checkpoint). */
async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const client = await connectClient(adminUrl);
  let names: string[];
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)',
      [`${prefix}_t`, `${prefix}_w`],
    );
    names = rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
  await Promise.all(names.map((name) => dropDatabase(adminUrl, name, 'WITH (FORCE)')));
}

// One connection per DROP: each waits for a checkpoint, and in parallel they share one.
async function dropDatabase(adminUrl: string, name: string, force: string): Promise<void> {
  const client = await connectClient(adminUrl, 10_000);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} ${force}`);
  } finally {
    await client.end();
  }
}

/**
 * A test database's data is worth nothing after the run: its commits need not wait for the disk
 * (on a busy disk that wait is most of a test's time). Per database, so every client (pg, Prisma,
 * TypeORM, a spawned server) gets it.
 */
export async function fastCommits(adminUrl: string, name: string): Promise<void> {
  const client = await connectClient(adminUrl);
  try {
    await client.query(
      `ALTER DATABASE ${client.escapeIdentifier(name)} SET synchronous_commit = off`,
    );
  } finally {
    await client.end();
  }
}

function dropPgliteLeftovers(stage: string): void {
  const prefix = `test-${stage.replace(/[^a-zA-Z0-9_-]/g, '_')}-`;
  // .data/pglite too: where test data lived before PGLITE_TEST_ROOT (and still does without /dev/shm)
  for (const root of new Set([PGLITE_TEST_ROOT, PGLITE_DATA_ROOT])) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root)) {
      const match = /^([0-9a-z]+)_([0-9a-z]+)_[0-9a-z]{2}(?:-w[0-9a-z]+)?$/.exec(
        entry.slice(prefix.length),
      );
      if (!entry.startsWith(prefix) || !match) continue;
      const age = Date.now() - Number.parseInt(match[1] ?? '', 36) * 1000;
      if (age > LEFTOVER_AGE_MS || !isAlive(Number.parseInt(match[2] ?? '', 36))) {
        rmSync(join(root, entry), { recursive: true, force: true });
        rmSync(join(root, `${entry}.lock`), { force: true });
      }
    }
  }
}

function removePgliteRun(name: string): void {
  if (!existsSync(PGLITE_TEST_ROOT)) return;
  for (const entry of readdirSync(PGLITE_TEST_ROOT)) {
    if (entry === name || entry.startsWith(`${name}-w`)) {
      rmSync(join(PGLITE_TEST_ROOT, entry), { recursive: true, force: true });
    }
  }
}

/** Anything that runs a query: a pg Client or Pool (a stage's test pool, kept open between tests). */
export interface Queryable {
  query<R extends Record<string, unknown>>(text: string): Promise<{ rows: R[] }>;
}

/**
 * Between tests: empty every table of the public schema, in one round trip, and restart their
 * identities (serials). node-pg-migrate's bookkeeping table stays, or the next run would apply
 * every migration again. Pass the stage's open pool rather than a URL where tests run many times:
 * a new connection per test costs more than emptying the tables.
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

// Past this size a table is TRUNCATEd (a fresh empty file); below it, DELETEd. TRUNCATE swaps
// every table's files and waits for exclusive locks: on a busy machine 50–100 ms for a handful
// of small tables, paid before each of hundreds of tests; a DELETE of their few rows takes
// under 3 ms. A big table (60k tickets) would leave as many dead rows behind a DELETE.
const DELETE_MAX_BYTES = 1024 * 1024;

interface TableFacts extends Record<string, unknown> {
  name: string;
  bytes: string;
  /** Public tables with a foreign key to this one (itself excepted). */
  referenced_by: string[];
  /** A foreign key to it from another schema: TRUNCATE … CASCADE empties that table too. */
  outside_refs: boolean;
  sequences: string[];
  triggers: boolean;
}

const TABLE_FACTS = `
  SELECT c.relname AS name, pg_relation_size(c.oid)::text AS bytes,
    ARRAY(SELECT DISTINCT r.relname::text FROM pg_constraint f JOIN pg_class r ON r.oid = f.conrelid
          WHERE f.contype = 'f' AND f.confrelid = c.oid AND f.conrelid <> c.oid
            AND r.relnamespace = c.relnamespace) AS referenced_by,
    EXISTS (SELECT 1 FROM pg_constraint f JOIN pg_class r ON r.oid = f.conrelid
            WHERE f.contype = 'f' AND f.confrelid = c.oid
              AND r.relnamespace <> c.relnamespace) AS outside_refs,
    ARRAY(SELECT s.oid::regclass::text FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
          WHERE d.classid = 'pg_class'::regclass AND d.refobjid = c.oid AND s.relkind = 'S'
            AND d.deptype IN ('a', 'i')) AS sequences,
    EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`;

const quoted = (table: string) => `public."${table.replaceAll('"', '""')}"`;

async function truncateWith(db: Queryable, except: string[] = []): Promise<void> {
  const keep = new Set(['pgmigrations', ...except]);
  const { rows } = await db.query<TableFacts>(TABLE_FACTS);
  const tables = rows.filter((table) => !keep.has(table.name));
  if (tables.length === 0) return;
  const truncateAll = `TRUNCATE TABLE ${tables.map((t) => quoted(t.name)).join(', ')} RESTART IDENTITY CASCADE`;
  // DELETE fires triggers TRUNCATE does not, and must go children first: where that differs from
  // TRUNCATE … CASCADE (a trigger, a kept or outside table referencing one, a cycle), TRUNCATE all.
  const emptied = new Set(tables.map((t) => t.name));
  const order = childrenFirst(tables);
  const differs = tables.some(
    (t) => t.triggers || t.outside_refs || t.referenced_by.some((r) => !emptied.has(r)),
  );
  if (differs || !order) {
    await db.query(truncateAll);
    return;
  }
  const big = tables.filter((t) => Number(t.bytes) > DELETE_MAX_BYTES).map((t) => t.name);
  const statements = [
    ...(big.length > 0 ? [`TRUNCATE TABLE ${big.map(quoted).join(', ')} CASCADE`] : []),
    ...order.map((t) => `DELETE FROM ${quoted(t.name)}`),
    ...order.flatMap((t) => t.sequences.map((s) => `ALTER SEQUENCE ${s} RESTART`)),
  ];
  // One simple-protocol query: the statements run in one implicit transaction.
  await db.query(statements.join(';\n'));
}

/** The tables ordered so each comes before those it references; null on a cycle. */
function childrenFirst(tables: TableFacts[]): TableFacts[] | null {
  const left = new Map(tables.map((t) => [t.name, t]));
  const order: TableFacts[] = [];
  while (left.size > 0) {
    const next = [...left.values()].find((t) => t.referenced_by.every((r) => !left.has(r)));
    if (!next) return null;
    order.push(next);
    left.delete(next.name);
  }
  return order;
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
