import { withDatabase } from '@backend-path/shared/testing/postgres-admin';
import { type Caller, findCaller, recreate, withClient } from './pg.ts';
import type { BenchStage } from './plan.ts';
import { ensureTemplates, suffixOf, type TemplateData } from './templates.ts';

// Every stage with a database gets one of its own, backend_path_bench_NN, because their
// migrations differ (05 adds credentials, 10 idempotency keys). All hold the same data: each run
// copies them afresh from their templates (templates.ts; CREATE DATABASE … TEMPLATE, about a
// second each), so every run starts from the same rows, whatever the last one wrote.

export interface StageDatabase {
  url: string;
  caller: Caller;
  /** The caller's account's newest ticket: GET /tickets/:id reads it. */
  ticketId: string;
}

/** One fresh database per stage (copied from its template), with its caller and ticket. */
export async function prepareDatabases(
  adminUrl: string,
  stages: BenchStage[],
  data: TemplateData,
  log: (line: string) => void,
): Promise<Map<number, StageDatabase>> {
  const sets = await ensureTemplates(adminUrl, stages, data, log);
  const databases = new Map<number, StageDatabase>();
  for (const set of sets) {
    for (const stage of set.stages) {
      const name = `backend_path_bench_${String(stage.number).padStart(2, '0')}${suffixOf(data.rows)}`;
      log(`${name}: a fresh copy of ${set.template}`);
      await recreate(adminUrl, name, set.template);
      const url = withDatabase(adminUrl, name);
      const found = await withClient(url, async (client) => {
        const caller = await findCaller(client);
        const { rows: newest } = await client.query<{ id: string }>(
          'SELECT id FROM tickets WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
          [caller.accountId],
        );
        if (!newest[0]) throw new Error(`${name}: the caller's account has no ticket`);
        return { url, caller, ticketId: newest[0].id };
      });
      databases.set(stage.number, found);
    }
  }
  log(`${databases.size} stage databases copied from ${sets.length} template(s)`);
  return databases;
}

/** The per-run copies go at the end; the templates stay for the next run. */
export async function dropStageDatabases(
  adminUrl: string,
  databases: Map<number, StageDatabase>,
): Promise<void> {
  await withClient(adminUrl, async (c) => {
    for (const { url } of databases.values()) {
      const name = decodeURIComponent(new URL(url).pathname.slice(1));
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)}`);
    }
  });
}
