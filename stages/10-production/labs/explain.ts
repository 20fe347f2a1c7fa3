import type { DbClient } from '../src/db/pool.ts';
import { listPageSql } from '../src/tickets/tickets.sql.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { median, printTable, round, writeResults } from './lib/report.ts';

// pnpm lab:explain — the API's list query (one account, open tickets, newest first, 20 rows)
// under EXPLAIN (ANALYZE, BUFFERS), with and without tickets_account_status_created_idx.
// The index is dropped inside a transaction that is rolled back: it is never really gone.
const INDEX = 'tickets_account_status_created_idx';
const RUNS = 7;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Parallel Aware'?: boolean;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}
const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];
// The node types to look for: Seq Scan (reads the whole table), Sort, Index Scan / Index Only
// Scan / Bitmap Heap Scan (read only what the index points at), Gather (parallel workers).
const describeNode = (n: PlanNode) =>
  `${n['Parallel Aware'] ? 'Parallel ' : ''}${n['Node Type']}${n['Index Name'] ? ` on ${n['Index Name']}` : ''}`;

async function measure(client: DbClient, text: string, values: unknown[]) {
  const times: number[] = [];
  let root: PlanNode | undefined;
  await client.query(text, values); // warm the cache: we compare plans, not disk reads
  for (let i = 0; i < RUNS; i++) {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
    const [result] = rows[0]['QUERY PLAN'];
    times.push(result['Execution Time']);
    root = result.Plan;
  }
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
  const nodes = flatten(root as PlanNode);
  return {
    ms: median(times),
    nodes: [...new Set(nodes.map(describeNode))],
    buffers: (root?.['Shared Hit Blocks'] ?? 0) + (root?.['Shared Read Blocks'] ?? 0),
    plan: rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'),
  };
}

const db = await openLabDatabase();
const client = await db.pool.connect();
try {
  const { rows: counted } = await client.query('SELECT count(*)::int AS n FROM tickets');
  const total = counted[0].n as number;
  if (total < 10_000) {
    console.error(`Only ${total} tickets: run \`pnpm lab:seed\` first (1M rows by default).`);
    process.exitCode = 1;
  } else {
    const { rows: busiest } = await client.query(
      'SELECT account_id FROM tickets GROUP BY account_id ORDER BY count(*) DESC LIMIT 1',
    );
    const query = listPageSql({
      accountId: busiest[0].account_id,
      status: 'open',
      page: 1,
      pageSize: 20,
    });
    console.log(
      `${db.version}, ${total.toLocaleString('en-US')} tickets. The query:\n  ${query.text}\n`,
    );

    const withIndex = await measure(client, query.text, query.values);
    await client.query('BEGIN');
    let withoutIndex: Awaited<ReturnType<typeof measure>>;
    try {
      await client.query(`DROP INDEX ${INDEX}`);
      withoutIndex = await measure(client, query.text, query.values);
    } finally {
      await client.query('ROLLBACK');
    }

    console.log(`WITHOUT ${INDEX}:\n${withoutIndex.plan}\n`);
    console.log(`WITH ${INDEX}:\n${withIndex.plan}\n`);
    const speedup = withoutIndex.ms / withIndex.ms;
    printTable([
      {
        variant: 'without index',
        'median ms': round(withoutIndex.ms, 3),
        'buffers (8 kB)': withoutIndex.buffers,
        nodes: withoutIndex.nodes.join(' → '),
      },
      {
        variant: 'with index',
        'median ms': round(withIndex.ms, 3),
        'buffers (8 kB)': withIndex.buffers,
        nodes: withIndex.nodes.join(' → '),
      },
    ]);
    console.log(
      `\nSpeedup: ${speedup.toFixed(0)}× (median of ${RUNS} runs each; goal ≥ 100× at 1M rows).`,
    );
    const { rows: still } = await client.query('SELECT 1 FROM pg_indexes WHERE indexname = $1', [
      INDEX,
    ]);
    console.log(still.length === 1 ? `${INDEX} is still there.` : `WARNING: ${INDEX} is missing!`);
    const file = writeResults('explain', {
      database: db.version,
      kind: db.kind,
      tickets: total,
      query: query.text,
      withoutIndex: {
        medianMs: round(withoutIndex.ms, 3),
        buffers: withoutIndex.buffers,
        nodes: withoutIndex.nodes,
      },
      withIndex: {
        medianMs: round(withIndex.ms, 3),
        buffers: withIndex.buffers,
        nodes: withIndex.nodes,
      },
      speedup: round(speedup, 1),
    });
    console.log(`Results: ${file}`);
  }
} finally {
  client.release();
  await db.close();
}
