import { cpSync, rmSync } from 'node:fs';
import { fastCommits, type TestDatabaseTemplate } from './database.ts';
import { dataDirOf, startPgliteServer } from './pglite-server.ts';
import { connectClient, databaseName, withDatabase } from './postgres-admin.ts';

// One per process: a vitest worker that runs many files (isolate: false) opens its database once.
const opened = new Map<string, Promise<string>>();

/**
 * The calling vitest worker's own database, copied from the run's migrated template: on a real
 * server `CREATE DATABASE <run>_w<worker> TEMPLATE <run>_t` (currentWorkerId); on PGlite a copy of the
 * template's data dir, opened as an instance of its own in this process. Two workers never share
 * one, so files run in parallel, each emptying only its own tables between tests.
 */
export function openWorkerDatabase(
  template: TestDatabaseTemplate,
  workerId: string = currentWorkerId(),
): Promise<string> {
  const key = `${JSON.stringify(template)}#${workerId}`;
  let url = opened.get(key);
  if (!url) {
    url =
      template.kind === 'pglite' ? openPglite(template.name, workerId) : clone(template, workerId);
    opened.set(key, url);
    url.catch(() => opened.delete(key));
  }
  return url;
}

/**
 * This vitest worker: its pool id and its process id. The pool id alone is not unique: vitest 4
 * was seen running two worker processes with VITEST_POOL_ID=2 at once (a project of stage 08), and
 * two workers on one database empty each other's tables.
 */
export function currentWorkerId(): string {
  return `${process.env.VITEST_POOL_ID ?? '1'}p${process.pid.toString(36)}`;
}

async function clone(
  template: Extract<TestDatabaseTemplate, { url: string }>,
  workerId: string,
): Promise<string> {
  const source = databaseName(template.url);
  const name = source.replace(/_t$/, `_w${workerId}`);
  // The admin connection, never one to the template: Postgres copies a template only while
  // nobody is connected to it.
  const client = await connectClient(template.adminUrl, 10_000);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(
        `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(source)}`,
      );
    }
  } finally {
    await client.end();
  }
  await fastCommits(template.adminUrl, name);
  return withDatabase(template.url, name);
}

async function openPglite(templateName: string, workerId: string): Promise<string> {
  const name = `${templateName}-w${workerId}`;
  const dataDir = dataDirOf(name, true);
  rmSync(dataDir, { recursive: true, force: true });
  // Reopening a data dir takes a fraction of creating one: copy the migrated template.
  cpSync(dataDirOf(templateName, true), dataDir, { recursive: true });
  const server = await startPgliteServer(name, { disposable: true });
  // The worker's process ends with the run; its lock goes with it (pglite-server.ts).
  return server.url;
}
