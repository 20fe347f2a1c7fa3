import type { DbClient } from '../src/db/pool.ts';
import { listCountSql, listPageSql } from '../src/tickets/tickets.sql.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { median, printTable, round, writeResults } from './lib/report.ts';

// pnpm lab:search — GET /tickets?q=… on the lab's tickets, before and after the trigram index
// (migrations/0007: pg_trgm GIN on subject): the page and its bounded count for a word most
// subjects lack, a subject few tickets have, and the most frequent word; then what the index
// costs 10,000 inserts, and why `q` needs 3 letters or digits in a row.
// Inside a transaction that is rolled back: every index but the primary key is dropped, the
// list's order index (created_at DESC, id DESC) is built, then the trigram index on top of it.
const RUNS = 5;
const PAGE = { page: 1, pageSize: 20 };
const ORDER_INDEX = 'lab_search_order_idx';
const TRIGRAM_INDEX = 'lab_search_trgm_idx';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}
const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];
const describeNode = (n: PlanNode) =>
  `${n['Node Type']}${n['Index Name'] === TRIGRAM_INDEX ? ' (trigram)' : n['Index Name'] ? ' (order)' : ''}`;

async function measure(client: DbClient, { text, values }: { text: string; values: unknown[] }) {
  await client.query(text, values); // warm the cache
  const times: number[] = [];
  let root: PlanNode | undefined;
  for (let i = 0; i < RUNS; i++) {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
    times.push(rows[0]['QUERY PLAN'][0]['Execution Time']);
    root = rows[0]['QUERY PLAN'][0].Plan;
  }
  const { rows } = await client.query(text, values);
  return {
    ms: median(times),
    buffers: (root?.['Shared Hit Blocks'] ?? 0) + (root?.['Shared Read Blocks'] ?? 0),
    nodes: [...new Set(flatten(root as PlanNode).map(describeNode))],
    /** The count's total, or the page's row count. */
    result: (text.startsWith('SELECT count(*)') ? rows[0].total : rows.length) as number,
  };
}

/** The most frequent word of 4+ letters in a sample of subjects: a search that matches many. */
async function commonWord(client: DbClient): Promise<string> {
  const { rows } = await client.query<{ word: string }>(
    `SELECT word FROM (SELECT subject FROM tickets LIMIT 20000) AS s,
       regexp_split_to_table(lower(subject), '[^[:alpha:]]+') AS word
     WHERE length(word) >= 4 GROUP BY word ORDER BY count(*) DESC, word LIMIT 1`,
  );
  return rows[0]?.word ?? 'ticket';
}

/** Milliseconds to insert 10,000 copies of existing tickets, undone at once (a savepoint). */
async function insertCost(client: DbClient): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    await client.query('SAVEPOINT inserts');
    const started = performance.now();
    await client.query(
      `INSERT INTO tickets (account_id, created_by, subject, description, priority, status,
                            created_at, updated_at, resolved_at)
       SELECT account_id, created_by, subject, description, priority, status,
              created_at, updated_at, resolved_at
       FROM tickets LIMIT 10000`,
    );
    times.push(performance.now() - started);
    await client.query('ROLLBACK TO SAVEPOINT inserts');
  }
  return median(times);
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
    const word = await commonWord(client);
    const { rows: few } = await client.query<{ subject: string }>(
      'SELECT subject FROM tickets GROUP BY subject ORDER BY count(*), subject LIMIT 1',
    );
    const terms = [
      ['in no subject', 'needle7f3a'],
      ['a rare subject', few[0]?.subject ?? 'needle'],
      ['the most frequent word', word],
    ] as const;
    console.log(`${db.version}, ${total.toLocaleString('en-US')} tickets.\n`);
    const rows = [];
    const results: Record<string, unknown>[] = [];
    let insertMs: { without: number; with: number } | undefined;
    let short: Awaited<ReturnType<typeof measure>> | undefined;
    await client.query('BEGIN');
    try {
      const { rows: indexes } = await client.query<{ name: string }>(
        `SELECT indexrelid::regclass::text AS name FROM pg_index
         WHERE indrelid = 'tickets'::regclass AND NOT indisprimary`,
      );
      for (const { name } of indexes) await client.query(`DROP INDEX ${name}`);
      await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      await client.query(`CREATE INDEX ${ORDER_INDEX} ON tickets (created_at DESC, id DESC)`);
      await client.query('ANALYZE tickets');
      const insertWithout = await insertCost(client);
      const before = [];
      for (const [, q] of terms) {
        before.push({
          page: await measure(client, listPageSql({ ...PAGE, q })),
          count: await measure(client, listCountSql({ ...PAGE, q })),
        });
      }
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      const started = performance.now();
      await client.query(
        `CREATE INDEX ${TRIGRAM_INDEX} ON tickets USING gin (subject gin_trgm_ops)`,
      );
      const buildS = (performance.now() - started) / 1000;
      await client.query('ANALYZE tickets');
      const { rows: size } = await client.query(
        `SELECT pg_size_pretty(pg_relation_size('${TRIGRAM_INDEX}')) AS index,
                pg_size_pretty(pg_relation_size('tickets')) AS "table"`,
      );
      for (const [i, [label, q]] of terms.entries()) {
        const after = {
          page: await measure(client, listPageSql({ ...PAGE, q })),
          count: await measure(client, listCountSql({ ...PAGE, q })),
        };
        const was = before[i];
        if (!was) continue;
        rows.push({
          q: `${label}: "${q.length > 24 ? `${q.slice(0, 23)}…` : q}"`,
          matches: after.count.result === 1001 ? '1000+' : after.count.result,
          'page ms before': round(was.page.ms, 3),
          'page ms after': round(after.page.ms, 3),
          'count ms before': round(was.count.ms, 3),
          'count ms after': round(after.count.ms, 3),
          'plan after (page)': after.page.nodes.join(' → '),
        });
        results.push({ label, q, before: was, after });
      }
      insertMs = { without: insertWithout, with: await insertCost(client) };
      // Two letters: no trigram to look up, so the index cannot help, and the API says 400.
      short = await measure(client, listPageSql({ ...PAGE, q: 'zq' }));
      printTable(rows);
      console.log(
        `\nThe trigram index: built in ${round(buildS, 1)} s, ${size[0]?.index} (the table: ${size[0]?.table}).`,
      );
      console.log(
        `10,000 inserts: ${round(insertMs.without, 1)} ms without it, ${round(insertMs.with, 1)} ms with it ` +
          `(${round(insertMs.with / insertMs.without, 2)}×; median of 3, rolled back each time).`,
      );
      console.log(
        `q=zq (two letters): ${round(short.ms, 1)} ms with the trigram index there ` +
          `(${short.nodes.join(' → ')}): nothing to look up, so GET /tickets?q=zq is a 400.`,
      );
    } finally {
      await client.query('ROLLBACK');
    }
    const file = writeResults('search', {
      database: db.version,
      kind: db.kind,
      tickets: total,
      terms: results,
      insertMs,
      twoLetters: short && { medianMs: round(short.ms, 3), nodes: short.nodes },
    });
    console.log(`Results: ${file}`);
  }
} finally {
  client.release();
  await db.close();
}
