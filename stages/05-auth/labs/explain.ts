import type { DbClient } from '../src/db/pool.ts';
import { listCountSql, listPageSql } from '../src/tickets/tickets.sql.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { median, printTable, round, writeResults } from './lib/report.ts';

// pnpm lab:explain — the list the API sends for GET /tickets?status=open (newest first, 20 rows
// and one more), its deepest page by number (page 500) and its bounded count, under EXPLAIN
// (ANALYZE, BUFFERS), with four indexes in turn: none for it, the filter's column alone, the
// sort key first, the filter then the sort key.
// LESSON: one index serves WHERE … ORDER BY … LIMIT together only when its columns are the
// equality filters first, then the ORDER BY columns in their order and direction: then the rows
// wanted are one run of the index, already sorted, and LIMIT stops after 21 entries.
// It all happens in a transaction that is rolled back: the table keeps its own indexes.
const FILTER = { status: 'open' as const, page: 1, pageSize: 20 };
const DEEPEST = { ...FILTER, page: 500 }; // OFFSET 9,980: as deep as ?page= goes (10,000 rows)
const RUNS = 7;
const VARIANT = 'lab_explain_variant_idx';
const VARIANTS = [
  { name: 'no index for it', columns: null },
  { name: 'the filter alone', columns: '(status)' },
  { name: 'sort key first', columns: '(created_at DESC, id DESC, status)' },
  { name: 'filter, then sort key', columns: '(status, created_at DESC, id DESC)' },
];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Parallel Aware'?: boolean;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}
const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];
// The node types to look for: Seq Scan (reads the whole table), Sort, Index Scan / Index Only
// Scan / Bitmap Heap Scan (read only what the index points at), Gather (parallel workers).
const describeNode = (n: PlanNode) =>
  `${n['Parallel Aware'] ? 'Parallel ' : ''}${n['Node Type']}${n['Index Name'] ? ` on ${n['Index Name']}` : ''}`;
/** Rows the scans of tickets produced or threw away: what the query really read. */
const rowsRead = (nodes: PlanNode[]) =>
  nodes
    .filter((n) => n['Relation Name'] === 'tickets')
    .reduce(
      (sum, n) =>
        sum +
        ((n['Actual Rows'] ?? 0) +
          (n['Rows Removed by Filter'] ?? 0) +
          (n['Rows Removed by Index Recheck'] ?? 0)) *
          (n['Actual Loops'] ?? 1),
      0,
    );

async function measure(client: DbClient, { text, values }: { text: string; values: unknown[] }) {
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
    rowsRead: rowsRead(nodes),
    buffers: (root?.['Shared Hit Blocks'] ?? 0) + (root?.['Shared Read Blocks'] ?? 0),
    nodes: [...new Set(nodes.map(describeNode))],
    plan: rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'),
  };
}
type Measured = Awaited<ReturnType<typeof measure>>;

const db = await openLabDatabase();
const client = await db.pool.connect();
try {
  const { rows: counted } = await client.query('SELECT count(*)::int AS n FROM tickets');
  const total = counted[0].n as number;
  if (total < 10_000) {
    console.error(`Only ${total} tickets: run \`pnpm lab:seed\` first (1M rows by default).`);
    process.exitCode = 1;
  } else {
    const page = listPageSql(FILTER);
    const count = listCountSql(FILTER);
    const exact = { text: `SELECT count(*)::int FROM tickets WHERE status = $1`, values: ['open'] };
    console.log(
      `${db.version}, ${total.toLocaleString('en-US')} tickets. The page:\n  ${page.text}`,
    );
    console.log(`Its count, bounded:\n  ${count.text}\n`);

    const deepest = listPageSql(DEEPEST);
    const results: {
      variant: string;
      columns: string | null;
      page: Measured;
      deepest: Measured;
      count: Measured;
    }[] = [];
    let exactCount: Measured | undefined;
    await client.query('BEGIN');
    try {
      // Every index but the primary key goes (inside this transaction only), then each variant
      // is built, measured and dropped in turn.
      const { rows: indexes } = await client.query<{ name: string }>(
        `SELECT indexrelid::regclass::text AS name FROM pg_index
         WHERE indrelid = 'tickets'::regclass AND NOT indisprimary`,
      );
      for (const { name } of indexes) await client.query(`DROP INDEX ${name}`);
      await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      for (const variant of VARIANTS) {
        if (variant.columns) {
          await client.query(`CREATE INDEX ${VARIANT} ON tickets ${variant.columns}`);
          await client.query('ANALYZE tickets');
        }
        results.push({
          variant: variant.name,
          columns: variant.columns,
          page: await measure(client, page),
          deepest: await measure(client, deepest),
          count: await measure(client, count),
        });
        if (variant === VARIANTS.at(-1)) exactCount = await measure(client, exact);
        if (variant.columns) await client.query(`DROP INDEX ${VARIANT}`);
      }
    } finally {
      await client.query('ROLLBACK');
    }

    const [none, , , best] = results;
    console.log(`No index for it:\n${none?.page.plan}\n`);
    console.log(`The filter, then the sort key:\n${best?.page.plan}\n`);
    // Buffers: 8 kB pages of table and index touched. The sort key first checks status inside
    // the index (an Index Cond on its last column): it never visits the table for the tickets it
    // skips, but it still reads their entries, 25 for each open one. Deeper, that shows.
    printTable(
      results.map((r) => ({
        index: r.columns ? `${r.variant} ${r.columns}` : r.variant,
        'page 1 ms': round(r.page.ms, 3),
        buffers: r.page.buffers,
        'page 500 ms': round(r.deepest.ms, 3),
        'buffers ': r.deepest.buffers,
        'count ms': round(r.count.ms, 3),
        ' buffers': r.count.buffers,
        'page 1 plan': r.page.nodes.join(' → '),
      })),
    );
    if (none && best && exactCount) {
      console.log(
        `\nThe right index: ${round(none.page.ms / best.page.ms, 0)}× faster than none for page 1 ` +
          `(median of ${RUNS} runs each). Sort key first walks the index in order and skips every ` +
          'ticket that is not open; the filter alone finds every open ticket, then sorts them all.',
      );
      console.log(
        `An exact count(*) of the open tickets reads ${exactCount.rowsRead.toLocaleString('en-US')} ` +
          `rows (${round(exactCount.ms, 3)} ms); the bounded one stops at ` +
          `${best.count.rowsRead.toLocaleString('en-US')} (${round(best.count.ms, 3)} ms).`,
      );
    }
    const { rows: still } = await client.query(
      `SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'tickets'::regclass`,
    );
    console.log(`The table has its ${still[0].n} indexes back (rolled back).`);
    const file = writeResults('explain', {
      database: db.version,
      kind: db.kind,
      tickets: total,
      page: page.text,
      count: count.text,
      variants: results.map((r) => ({
        variant: r.variant,
        columns: r.columns,
        page: { medianMs: round(r.page.ms, 3), buffers: r.page.buffers, nodes: r.page.nodes },
        deepest: { medianMs: round(r.deepest.ms, 3), buffers: r.deepest.buffers },
        count: { medianMs: round(r.count.ms, 3), buffers: r.count.buffers, nodes: r.count.nodes },
      })),
      exactCount: exactCount && {
        medianMs: round(exactCount.ms, 3),
        rowsRead: exactCount.rowsRead,
        boundedRowsRead: best?.count.rowsRead,
      },
      speedup: none && best ? round(none.page.ms / best.page.ms, 1) : null,
    });
    console.log(`Results: ${file}`);
  }
} finally {
  client.release();
  await db.close();
}
