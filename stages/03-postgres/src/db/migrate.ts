import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { loadConfig } from '../config.ts';

// Migrations are plain SQL files (migrations/NNNN_name.sql, `-- Up Migration` / `-- Down
// Migration` sections) applied in order by node-pg-migrate, which records each one in the
// `pgmigrations` table so a second run applies nothing.
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
export const MIGRATIONS_TABLE = 'pgmigrations';

export interface MigrateOptions {
  direction?: 'up' | 'down';
  /** How many migrations to apply (down: how many to undo); all pending ones by default. */
  count?: number;
  log?: (message: string) => void;
}

// node-pg-migrate refuses a database whose applied migrations are not, in order, the first files of
// this folder: one migrated by another stage (stage 05's 0008_auth in a stage 03 database) or by
// an older checkout whose files were numbered differently. Its message names neither case.
const OUT_OF_ORDER = /^Not run migration (\S+) is preceding already run migration (\S+)$/;

function explain(error: unknown, url: string): unknown {
  const match = error instanceof Error ? OUT_OF_ORDER.exec(error.message) : null;
  if (!match) return error;
  const { host, pathname } = new URL(url);
  return new Error(
    `The database ${pathname.slice(1)} on ${host} was migrated by another stage or an older ` +
      `checkout: it has ${match[2]} where this stage expects ${match[1]}. Give this stage a ` +
      'database of its own (DATABASE_URL), or start this one afresh (its data is lost): ' +
      'DROP SCHEMA public CASCADE; CREATE SCHEMA public;',
    { cause: error },
  );
}

export async function migrate(url: string, options: MigrateOptions = {}): Promise<string[]> {
  const applied = await runner({
    databaseUrl: url,
    dir: MIGRATIONS_DIR,
    migrationsTable: MIGRATIONS_TABLE,
    direction: options.direction ?? 'up',
    count: options.count ?? (options.direction === 'down' ? 1 : Number.POSITIVE_INFINITY),
    // All pending files in one transaction: a failure in the third leaves none applied.
    singleTransaction: true,
    // Two processes migrating the same database (a test run and a lab) wait for each other.
    advisoryLockMode: 'wait',
    log: options.log ?? (() => {}),
  }).catch((error: unknown) => {
    throw explain(error, url);
  });
  return applied.map((migration) => migration.name);
}

// `pnpm db:migrate` (add `down` to undo the last one).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const direction = process.argv[2] === 'down' ? 'down' : 'up';
  const { databaseUrl } = loadConfig();
  const applied = await migrate(databaseUrl, { direction });
  console.log(
    applied.length === 0
      ? 'Database is up to date.'
      : `Migrated ${direction}: ${applied.join(', ')}`,
  );
}
