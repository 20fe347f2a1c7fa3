import type { DbClient, DbPool } from '../../src/db/pool.ts';

// What a bulk load into `tickets` pays for on every row: its indexes, its primary key and its
// foreign keys (and the foreign keys other tables point at it with, which need its primary key).
// Read from the catalog, not written down here, so a new migration is picked up as it is.
// CHECK and NOT NULL constraints stay: they look at the row alone and cost next to nothing.
export interface TableKeys {
  /** In creation order: primary/unique keys, the table's foreign keys, indexes, foreign keys in. */
  restore: string[];
  /** In the reverse order. */
  drop: string[];
}

type Db = DbPool | DbClient;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function readTableKeys(db: Db, table: string): Promise<TableKeys> {
  const { rows: constraints } = await db.query<{
    owner: string;
    name: string;
    type: string;
    def: string;
  }>(
    `SELECT c.conrelid::regclass::text AS owner, c.conname AS name, c.contype AS type,
            pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c
     WHERE c.contype IN ('p', 'u', 'f')
       AND (c.conrelid = $1::regclass OR (c.contype = 'f' AND c.confrelid = $1::regclass))
     ORDER BY c.conname`,
    [table],
  );
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i
     WHERE i.indrelid = $1::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
    [table],
  );
  const own = constraints.filter((c) => c.owner === table);
  const keys = own.filter((c) => c.type !== 'f');
  const outgoing = own.filter((c) => c.type === 'f');
  const incoming = constraints.filter((c) => c.owner !== table);
  const add = (c: (typeof constraints)[number]) =>
    `ALTER TABLE ${c.owner} ADD CONSTRAINT ${ident(c.name)} ${c.def}`;
  const dropConstraint = (c: (typeof constraints)[number]) =>
    `ALTER TABLE ${c.owner} DROP CONSTRAINT ${ident(c.name)}`;
  return {
    restore: [
      ...keys.map(add),
      ...outgoing.map(add),
      ...indexes.map((i) => i.def),
      ...incoming.map(add),
    ],
    drop: [
      ...incoming.map(dropConstraint),
      ...indexes.map((i) => `DROP INDEX ${i.name}`),
      ...outgoing.map(dropConstraint),
      ...keys.map(dropConstraint),
    ],
  };
}

/**
 * Every index and constraint of the public schema, as PostgreSQL prints them: two databases
 * migrated alike give equal lists, so a load that dropped and re-created keys can prove it put
 * back exactly what the migrations made.
 */
export async function schemaFingerprint(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ line: string }>(
    `SELECT format('%s index %s: %s', tablename, indexname, indexdef) AS line
     FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL
     SELECT format('%s constraint %s: %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = 'public' AND c.contype <> 'n'
     UNION ALL
     SELECT format('%s column %s: %s%s%s', table_name, column_name, data_type,
                   CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END,
                   coalesce(' default ' || column_default, ''))
     FROM information_schema.columns WHERE table_schema = 'public'
     ORDER BY 1`,
  );
  return rows.map((row) => row.line);
}
