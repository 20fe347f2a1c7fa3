import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePrismaClient, createPrismaClient, type PrismaDb } from '../../src/db/prisma.ts';
import { connectTypeorm, TYPEORM_ENTITIES } from '../../src/db/typeorm.ts';
import { testDatabaseUrl, useTestPool } from '../support/db-helpers.ts';

// LESSON: neither ORM owns the schema, so nothing keeps its models in step with migrations/*.sql
// except a test. This one reads the real tables from information_schema and fails when a model
// maps a column that does not exist, misses one that does, or disagrees on type or NULL.

interface DbColumn {
  type: string;
  nullable: boolean;
  precision: number | null;
}
type DbTable = Map<string, DbColumn>;

const pool = useTestPool();

async function tableColumns(db: pg.Pool, table: string): Promise<DbTable> {
  const { rows } = await db.query<{
    column_name: string;
    data_type: string;
    is_nullable: 'YES' | 'NO';
    datetime_precision: number | null;
  }>(
    `SELECT column_name, data_type, is_nullable, datetime_precision FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  const columns = new Map<string, DbColumn>();
  for (const row of rows) {
    const precision = row.data_type.startsWith('timestamp') ? row.datetime_precision : null;
    columns.set(row.column_name, {
      type: row.data_type,
      nullable: row.is_nullable === 'YES',
      precision,
    });
  }
  return columns;
}

/** Every index the migrations made that is no primary or unique key, by name: its definition. */
async function tableIndexes(db: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await db.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisprimary AND NOT i.indisunique`,
  );
  return new Map(rows.map((row) => [row.name, row.def]));
}

/** `CREATE INDEX x ON public.t USING btree (a DESC, b)` → [a, b]: the columns, in order. */
const columnsOf = (def: string) =>
  (def.match(/\((.*)\)$/)?.[1] ?? '').split(', ').map((column) => column.split(' ')[0]);

describe('TypeORM entities', () => {
  // TypeORM's names for the types our entities use → information_schema's.
  const SQL_TYPE: Record<string, string> = {
    uuid: 'uuid',
    text: 'text',
    timestamptz: 'timestamp with time zone',
    jsonb: 'jsonb',
  };

  it('When the entities are compared with the tables, then every column matches in name, type and NULL', async () => {
    const dataSource = await connectTypeorm(testDatabaseUrl(), { max: 1 });
    try {
      for (const entity of TYPEORM_ENTITIES) {
        const metadata = dataSource.getMetadata(entity);
        const table = await tableColumns(pool, metadata.tableName);
        const mapped = metadata.columns.map((column) => [
          column.databaseName,
          {
            type: SQL_TYPE[String(column.type)] ?? `unknown: ${String(column.type)}`,
            nullable: column.isNullable,
            precision: column.type === 'timestamptz' ? (column.precision ?? null) : null,
          },
        ]);

        expect(new Map(mapped as [string, DbColumn][]), metadata.tableName).toEqual(table);
      }
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('TypeORM indexes', () => {
  it('When the entities’ indexes are compared with the tables’, then each one is declared by name and columns', async () => {
    const dataSource = await connectTypeorm(testDatabaseUrl(), { max: 1 });
    try {
      const declared = new Map(
        dataSource.entityMetadatas.flatMap((metadata) =>
          metadata.indices.map((index) => [
            index.name,
            index.columns.map((column) => column.databaseName),
          ]),
        ),
      );
      const expected = new Map(
        [...(await tableIndexes(pool))].map(([name, def]) => [name, columnsOf(def)]),
      );

      // TypeORM says neither DESC nor gin_trgm_ops: the SQL files own those (the entity says so).
      expect(declared).toEqual(expected);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('Prisma models', () => {
  // Prisma's scalar types → the information_schema types they may map to (@db.Uuid etc.).
  const SQL_TYPES: Record<string, string[]> = {
    String: ['text', 'uuid'],
    DateTime: ['timestamp with time zone'],
    Json: ['jsonb'],
  };
  interface RuntimeField {
    name: string;
    kind: string;
    type: string;
    dbName?: string | null;
  }
  interface RuntimeModel {
    dbName: string | null;
    fields: RuntimeField[];
  }
  let prisma: PrismaDb;
  beforeAll(() => {
    prisma = createPrismaClient(pool);
  });
  afterAll(() => closePrismaClient(prisma));

  it('When the models are compared with the tables, then every scalar field maps an existing column of a fitting type', async () => {
    // The `prisma-client` generator has no public DMMF export; the client carries the same
    // model → table and field → column mapping it uses to build SQL.
    const { models } = (
      prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } }
    )._runtimeDataModel;
    expect(Object.keys(models).sort()).toEqual([
      'Account',
      'Activity',
      'Comment',
      'Ticket',
      'User',
    ]);

    for (const [name, model] of Object.entries(models)) {
      const table = await tableColumns(pool, model.dbName ?? name);
      const scalars = model.fields.filter((field) => field.kind === 'scalar');
      const columns = scalars.map((field) => field.dbName ?? field.name);

      expect(columns.sort(), name).toEqual([...table.keys()].sort());
      for (const field of scalars) {
        const column = table.get(field.dbName ?? field.name);
        expect(SQL_TYPES[field.type], `${name}.${field.name}`).toContain(column?.type);
      }
    }
  });

  it('When the models’ indexes are compared with the tables’, then each one is declared as the migrations made it', async () => {
    // Indexes are not in the client's runtime model: they are read from schema.prisma itself,
    // each @@index written out as PostgreSQL writes its definition (pg_get_indexdef).
    const { models } = (
      prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } }
    )._runtimeDataModel;
    const schema = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
    const declared = new Map<string, string>();
    for (const [, modelName, body] of schema.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
      const model = models[modelName as string] as RuntimeModel;
      const columnOf = (field: string) =>
        model.fields.find((f) => f.name === field)?.dbName ?? field;
      for (const [, fields, type, map] of (body as string).matchAll(
        /@@index\(\[(.*)\](?:, type: (\w+))?, map: "(\w+)"\)/g,
      )) {
        const columns = (fields as string).split(/, (?![^(]*\))/).map((field) => {
          const [, name, options = ''] = field.match(/^(\w+)(?:\((.*)\))?$/) ?? [];
          const desc = options.includes('sort: Desc') ? ' DESC' : '';
          const ops = options.match(/ops: raw\("(\w+)"\)/)?.[1];
          return `${columnOf(name as string)}${ops ? ` ${ops}` : ''}${desc}`;
        });
        const method = (type ?? 'BTree').toLowerCase();
        declared.set(
          map as string,
          `CREATE INDEX ${map} ON public.${model.dbName} USING ${method} (${columns.join(', ')})`,
        );
      }
    }

    expect(declared).toEqual(await tableIndexes(pool));
  });
});
