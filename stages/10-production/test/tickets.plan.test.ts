import { beforeEach, describe, expect, it } from 'vitest';
import { insertPeople, insertTicketsServerSide, labDataset } from '../labs/lib/lab-data.ts';
import type { DbClient, DbPool } from '../src/db/pool.ts';
import { listPageSql } from '../src/tickets/tickets.sql.ts';
import { keepTablesBetweenTests, useTestPool } from './db-helpers.ts';

// The plan's SHAPE, not its speed (speed is labs/explain.ts's job): on enough rows that the
// planner has a real choice, the account-scoped list query must walk the composite index.
const INDEX = 'tickets_account_status_created_idx';
const ROWS = 60_000;
const pool = useTestPool();
let accountId: string;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

async function planOf(db: DbPool | DbClient): Promise<PlanNode[]> {
  const { text, values } = listPageSql({ accountId, status: 'open', page: 1, pageSize: 20 });
  const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${text}`, values);
  return flatten(rows[0]['QUERY PLAN'][0].Plan);
}

// Neither test changes a row (the second rolls back what it drops): the 60k tickets are stored
// once for the file, before its first test, and setup.ts keeps them for the next one.
keepTablesBetweenTests();
let built = false;

beforeEach(async () => {
  if (built) return;
  const { accounts, users } = labDataset(0);
  await insertPeople(pool, { accounts, users });
  const customers = users.filter((u) => u.role === 'customer');
  await insertTicketsServerSide(pool, {
    rows: ROWS,
    customers,
    subjectLength: 40,
    descriptionLength: 90,
  });
  await pool.query('ANALYZE tickets');
  accountId = accounts[0]?.id ?? '';
  built = true;
});

describe('the list query plan', () => {
  it('When the composite index exists, then the query reads it and never sorts or scans the table', async () => {
    const nodes = await planOf(pool);

    const onIndex = nodes.filter((n) => n['Index Name'] === INDEX).map((n) => n['Node Type']);
    expect(onIndex).toEqual([
      expect.stringMatching(/^(Index Scan|Index Only Scan|Bitmap Index Scan)$/),
    ]);
    const types = nodes.map((n) => n['Node Type']);
    expect(types).not.toContain('Seq Scan');
    expect(types).not.toContain('Sort');
  });

  it('When the indexes are dropped (inside a rolled-back transaction), then a Seq Scan and a Sort', async () => {
    const client = await pool.connect();
    let nodes: PlanNode[];
    try {
      await client.query('BEGIN');
      await client.query(`DROP INDEX ${INDEX}`);
      // Without it the planner may still read the (created_by, status) index for `status`;
      // dropped too, the only way left is the one the lesson shows: read the table, then sort.
      await client.query('DROP INDEX tickets_created_by_status_idx');
      nodes = await planOf(client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }

    const types = nodes.map((n) => n['Node Type']);
    expect(types).toContain('Seq Scan');
    expect(types).toContain('Sort');
    expect(nodes.some((n) => n['Index Name'] === INDEX)).toBe(false);
    const { rows } = await pool.query('SELECT 1 FROM pg_indexes WHERE indexname = $1', [INDEX]);
    expect(rows).toHaveLength(1);
  });
});
