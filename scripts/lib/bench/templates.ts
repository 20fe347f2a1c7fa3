import { createHash } from 'node:crypto';
import { withDatabase } from '@backend-path/shared/testing/postgres-admin';
import { recreate, withClient } from './pg.ts';
import type { BenchStage } from './plan.ts';
import { runStageScript } from './processes.ts';
import { addComments, COMMENTED_TICKETS, setPassword } from './template-data.ts';

// One template database per set of migrations, backend_path_bench_tpl_<last migration>_<hash>.
// The first is filled by its first stage's own `labs/seed.ts --load-only` (the lab's tickets: same
// generator, same seed); a set whose migrations extend an earlier set's is a copy of that
// template plus its own stage's `db:migrate`. Then comments on the newest tickets and a password
// for the caller. A marker (bench.seeded) holds a fingerprint of the migrations, the row count
// and this recipe: a template whose marker matches is reused, run after run.

const RECIPE = 2; // bump when what a template holds changes: every template is rebuilt

export interface MigrationSet {
  template: string;
  fingerprint: string;
  stages: BenchStage[];
  key: string;
}

export interface TemplateData {
  rows: number;
  bcryptCost: number;
}

/** The full run's databases have the plain names; other sizes (quick's) a suffix of their own. */
export const suffixOf = (rows: number) => (rows === 1_000_000 ? '' : `_r${rows}`);

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
    // Named by the migrations, not by the stages selected: `--stages 7` reuses what a full run made.
    const last = stage.migrations.at(-1)?.name.slice(0, 4) ?? 'none';
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 6);
    sets.set(key, {
      template: `backend_path_bench_tpl_${last}_${digest}${suffixOf(rows)}`,
      fingerprint,
      stages: [stage],
      key,
    });
  }
  return [...sets.values()];
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

async function buildTemplate(
  adminUrl: string,
  set: MigrationSet,
  base: MigrationSet | undefined,
  data: TemplateData,
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
    // As autovacuum leaves a live table: statistics for the planner, and a visibility map, so a
    // bounded count can be answered from an index alone (every copy of the template has both).
    await client.query('VACUUM ANALYZE');
  });
}

/** Every set's template, built unless its marker says it is what this run needs. */
export async function ensureTemplates(
  adminUrl: string,
  stages: BenchStage[],
  data: TemplateData,
  log: (line: string) => void,
): Promise<MigrationSet[]> {
  const sets = migrationSets(stages, data.rows, data.bcryptCost);
  for (const [i, set] of sets.entries()) {
    if ((await seededFingerprint(adminUrl, set.template)) === set.fingerprint) {
      log(`${set.template}: seeded already, reused`);
      continue;
    }
    // An earlier set whose migrations are a prefix of this one's: copy it, migrate the rest.
    const base = sets.slice(0, i).find((earlier) => set.key.startsWith(`${earlier.key}\n`));
    await buildTemplate(adminUrl, set, base, data, log);
  }
  return sets;
}
