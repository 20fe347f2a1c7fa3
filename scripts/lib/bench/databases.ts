import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { generateComments } from '@backend-path/shared/seed/generator';
import { connectClient, withDatabase } from '@backend-path/shared/testing/postgres-admin';
import type { BenchStage } from './plan.ts';
import { runStageScript } from './processes.ts';

// Every stage with a database gets one of its own, backend_path_bench_NN, because their
// migrations differ (05 adds credentials, 10 idempotency keys). All hold the same data:
//   1. one template per set of migrations, backend_path_bench_tpl_NN (NN: its first stage).
//      The first is filled by that stage's own `labs/seed.ts --load-only` (the lab's tickets:
//      same generator, same seed); a set whose migrations extend an earlier set's is a copy of
//      that template plus its own stage's `db:migrate`. Then comments on the newest tickets and a
//      password for the caller. A marker (bench.seeded) holds a fingerprint of the migrations,
//      the row count and this recipe: a template whose marker matches is reused, run after run.
//   2. each run copies its template afresh (CREATE DATABASE … TEMPLATE, about a second), so
//      every run starts from the same rows, whatever the last one wrote.

const RECIPE = 1; // bump when what a template holds changes: every template is rebuilt
const COMMENTED_TICKETS = 5_000; // the newest: they hold page 1 of every list, 2–8 comments each
const COMMENT_SEED = 42;
export const BENCH_PASSWORD = 'bench-password-not-a-secret';

type Client = Awaited<ReturnType<typeof connectClient>>;

export interface Caller {
  id: string;
  email: string;
  accountId: string;
}

export interface StageDatabase {
  url: string;
  caller: Caller;
  /** The caller's account's newest ticket: GET /tickets/:id reads it. */
  ticketId: string;
}

interface MigrationSet {
  template: string;
  fingerprint: string;
  stages: BenchStage[];
  key: string;
}

/** The full run's databases have the plain names; other sizes (quick's) a suffix of their own. */
const suffixOf = (rows: number) => (rows === 1_000_000 ? '' : `_r${rows}`);

function migrationSets(stages: BenchStage[], rows: number, cost: number): MigrationSet[] {
  const sets = new Map<string, MigrationSet>();
  for (const stage of stages.filter((s) => s.storage === 'postgres')) {
    const key = stage.migrations.map((m) => `${m.name}:${m.hash}`).join('\n');
    const found = sets.get(key);
    if (found) {
      found.stages.push(stage);
      continue;
    }
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ RECIPE, rows, key, COMMENTED_TICKETS, cost }))
      .digest('hex');
    const nn = String(stage.number).padStart(2, '0');
    sets.set(key, {
      template: `backend_path_bench_tpl_${nn}${suffixOf(rows)}`,
      fingerprint,
      stages: [stage],
      key,
    });
  }
  return [...sets.values()];
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(url, 10_000);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function seededFingerprint(adminUrl: string, name: string): Promise<string | null> {
  const exists = await withClient(adminUrl, (c) =>
    c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
  );
  if (exists.rowCount === 0) return null;
  return withClient(withDatabase(adminUrl, name), async (c) => {
    const { rows } = await c.query<{ marker: string | null }>(
      "SELECT to_regclass('bench.seeded')::text AS marker",
    );
    if (!rows[0]?.marker) return null;
    const seeded = await c.query<{ fingerprint: string }>('SELECT fingerprint FROM bench.seeded');
    return seeded.rows[0]?.fingerprint ?? null;
  });
}

async function recreate(adminUrl: string, name: string, template?: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    const version = Number((await c.query('SHOW server_version_num')).rows[0]?.server_version_num);
    const force = version >= 130_000 ? ' WITH (FORCE)' : '';
    await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)}${force}`);
    // FILE_COPY copies the files (≈ 0.7 s for 1M tickets here); the default WAL_LOG strategy
    // writes every block through the WAL (≈ 1.6 s).
    const from = template
      ? ` TEMPLATE ${c.escapeIdentifier(template)}${version >= 150_000 ? ' STRATEGY FILE_COPY' : ''}`
      : '';
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}${from}`);
  });
}

/** Comments on the newest tickets, from the shared generator: same tickets, same comments. */
async function addComments(client: Client): Promise<number> {
  const { rows: tickets } = await client.query(
    `SELECT id, account_id, created_by, assignee_id, created_at, updated_at FROM tickets
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    [COMMENTED_TICKETS],
  );
  const { rows: users } = await client.query('SELECT id, account_id, role FROM users ORDER BY id');
  const iso = (value: Date) => value.toISOString();
  const comments = [
    ...generateComments({
      seed: COMMENT_SEED,
      tickets: tickets.map((t) => ({
        id: t.id,
        accountId: t.account_id,
        createdBy: t.created_by,
        assigneeId: t.assignee_id,
        createdAt: iso(t.created_at),
        updatedAt: iso(t.updated_at),
        subject: '',
        description: '',
        priority: 'low' as const,
        status: 'open' as const,
        resolvedAt: null,
      })),
      users: users.map((u) => ({
        ...u,
        accountId: u.account_id,
        email: '',
        name: '',
        createdAt: '',
      })),
      perTicket: { min: 2, max: 8 },
    }),
  ];
  await client.query(
    `INSERT INTO comments (id, ticket_id, author_id, body, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[])`,
    [
      comments.map((c) => c.id),
      comments.map((c) => c.ticketId),
      comments.map((c) => c.authorId),
      comments.map((c) => c.body),
      comments.map((c) => c.createdAt),
    ],
  );
  return comments.length;
}

/** The caller of every request: the first admin (by e-mail) of the seeded accounts. */
async function findCaller(client: Client): Promise<Caller> {
  const { rows } = await client.query<{ id: string; email: string; account_id: string }>(
    "SELECT id, email, account_id FROM users WHERE role = 'admin' ORDER BY email LIMIT 1",
  );
  const row = rows[0];
  if (!row) throw new Error('The bench database has no admin user: was it seeded?');
  return { id: row.id, email: row.email, accountId: row.account_id };
}

/** Where users have passwords (05 on), the caller gets one, hashed by the stage's own bcrypt. */
async function setPassword(client: Client, stage: BenchStage, cost: number): Promise<void> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = 'users' AND column_name = 'password_hash'`,
  );
  if (!rowCount) return;
  const bcrypt = createRequire(join(stage.dir, 'package.json'))('bcrypt') as {
    hash(password: string, cost: number): Promise<string>;
  };
  const caller = await findCaller(client);
  await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [
    await bcrypt.hash(BENCH_PASSWORD, cost),
    caller.id,
  ]);
}

async function buildTemplate(
  adminUrl: string,
  set: MigrationSet,
  base: MigrationSet | undefined,
  data: { rows: number; bcryptCost: number },
  log: (line: string) => void,
): Promise<void> {
  const { rows, bcryptCost } = data;
  const url = withDatabase(adminUrl, set.template);
  const first = set.stages[0] as BenchStage;
  if (base) {
    log(`${set.template}: a copy of ${base.template}, then ${first.folder}'s migrations`);
    await recreate(adminUrl, set.template, base.template);
    await runStageScript(first.dir, ['src/db/migrate.ts'], { DATABASE_URL: url }, log);
  } else {
    log(`${set.template}: ${rows.toLocaleString('en-US')} tickets by ${first.folder}'s lab:seed`);
    await recreate(adminUrl, set.template);
    const args = ['labs/seed.ts', '--load-only', '--rows', String(rows)];
    await runStageScript(first.dir, args, { LAB_DATABASE_URL: url }, log);
  }
  await withClient(url, async (client) => {
    if (!base) log(`${set.template}: ${await addComments(client)} comments on the newest tickets`);
    await setPassword(client, set.stages.find((s) => s.caller === 'token') ?? first, bcryptCost);
    await client.query(`DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench;
      CREATE TABLE bench.seeded (fingerprint text NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now());
      COMMENT ON TABLE bench.seeded IS 'pnpm bench: this template is rebuilt when its fingerprint changes';`);
    await client.query('INSERT INTO bench.seeded (fingerprint) VALUES ($1)', [set.fingerprint]);
    await client.query('ANALYZE');
  });
}

/** One fresh database per stage (copied from its template), with its caller and ticket. */
export async function prepareDatabases(
  adminUrl: string,
  stages: BenchStage[],
  data: { rows: number; bcryptCost: number },
  log: (line: string) => void,
): Promise<Map<number, StageDatabase>> {
  const { rows } = data;
  const sets = migrationSets(stages, rows, data.bcryptCost);
  for (const [i, set] of sets.entries()) {
    if ((await seededFingerprint(adminUrl, set.template)) === set.fingerprint) {
      log(`${set.template}: seeded already, reused`);
      continue;
    }
    // An earlier set whose migrations are a prefix of this one's: copy it, migrate the rest.
    const base = sets.slice(0, i).find((earlier) => set.key.startsWith(`${earlier.key}\n`));
    await buildTemplate(adminUrl, set, base, data, log);
  }
  const databases = new Map<number, StageDatabase>();
  for (const set of sets) {
    for (const stage of set.stages) {
      const name = `backend_path_bench_${String(stage.number).padStart(2, '0')}${suffixOf(rows)}`;
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
