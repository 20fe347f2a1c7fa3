import type { DbClient } from '../src/db/pool.ts';
import type { TicketCursor } from '../src/tickets/tickets.repository.ts';
import { listPageSql } from '../src/tickets/tickets.sql.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { median, printTable, round, writeResults } from './lib/report.ts';

// pnpm lab:pagination — what depth costs. Page 1, 100 and 10,000 of the newest-first list (20
// rows a page) with OFFSET, and the same pages with keyset pagination (`?after=`), under
// EXPLAIN (ANALYZE, BUFFERS). Both read through an index on (created_at DESC, id DESC), the
// unscoped list's tickets_created_idx (migrations/0007; from stage 05 every list is one account's
// and reads (account_id, created_at DESC, id DESC) the same way). The lab builds its own copy
// inside a transaction that is rolled back, so it measures the same in every stage.
const INDEX = 'lab_tickets_created_idx';
const PAGE_SIZE = 20;
const PAGES = [1, 100, 10_000];
const RUNS = 7;

interface Plan {
  'Execution Time': number;
  Plan: { 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number };
}

async function measure(client: DbClient, text: string, values: unknown[]) {
  await client.query(text, values); // warm the cache: we compare work done, not disk reads
  const times: number[] = [];
  let buffers = 0;
  for (let i = 0; i < RUNS; i++) {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
    const [result] = rows[0]['QUERY PLAN'] as Plan[];
    times.push(result?.['Execution Time'] ?? 0);
    buffers = (result?.Plan['Shared Hit Blocks'] ?? 0) + (result?.Plan['Shared Read Blocks'] ?? 0);
  }
  const { rows } = await client.query<{ id: string }>(text, values);
  return { ms: median(times), buffers, ids: rows.map((row) => row.id) };
}

/** The sort key of the ticket just before `page`: what the previous page's meta.nextCursor says. */
async function cursorBefore(client: DbClient, page: number): Promise<TicketCursor | undefined> {
  if (page === 1) return undefined;
  const { rows } = await client.query<{ created_at: Date; id: string }>(
    'SELECT created_at, id FROM tickets ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1',
    [(page - 1) * PAGE_SIZE - 1],
  );
  const row = rows[0];
  return row && { createdAt: row.created_at.toISOString(), id: row.id };
}

const db = await openLabDatabase();
const client = await db.pool.connect();
try {
  const { rows: counted } = await client.query('SELECT count(*)::int AS n FROM tickets');
  const total = counted[0].n as number;
  const needed = (Math.max(...PAGES) - 1) * PAGE_SIZE + PAGE_SIZE;
  if (total < needed) {
    console.error(`Only ${total} tickets, page ${Math.max(...PAGES)} needs ${needed}:`);
    console.error('run `pnpm lab:seed` first (1M rows by default).');
    process.exitCode = 1;
  } else {
    console.log(`${db.version}, ${total.toLocaleString('en-US')} tickets, ${PAGE_SIZE} a page.`);
    await client.query('BEGIN');
    try {
      await client.query(`CREATE INDEX ${INDEX} ON tickets (created_at DESC, id DESC)`);
      const rows = [];
      const results = [];
      for (const page of PAGES) {
        const offset = listPageSql({ page, pageSize: PAGE_SIZE });
        const after = await cursorBefore(client, page);
        const keyset = listPageSql(
          after ? { page: 1, pageSize: PAGE_SIZE, after } : { page: 1, pageSize: PAGE_SIZE },
        );
        const byOffset = await measure(client, offset.text, offset.values);
        const byKeyset = await measure(client, keyset.text, keyset.values);
        if (byOffset.ids.join() !== byKeyset.ids.join()) {
          throw new Error(`page ${page}: OFFSET and keyset returned different tickets`);
        }
        const ratio = byOffset.ms / byKeyset.ms;
        rows.push({
          page,
          'rows skipped': (page - 1) * PAGE_SIZE,
          'OFFSET ms': round(byOffset.ms, 3),
          'OFFSET buffers': byOffset.buffers,
          'keyset ms': round(byKeyset.ms, 3),
          'keyset buffers': byKeyset.buffers,
          'OFFSET / keyset': `${ratio.toFixed(1)}×`,
        });
        results.push({
          page,
          offset: { medianMs: round(byOffset.ms, 3), buffers: byOffset.buffers },
          keyset: { medianMs: round(byKeyset.ms, 3), buffers: byKeyset.buffers },
          ratio: round(ratio, 1),
        });
        if (page === Math.max(...PAGES)) {
          console.log(`\nOFFSET:\n  ${offset.text}\nkeyset:\n  ${keyset.text}\n`);
        }
      }
      printTable(rows);
      const [first, , deepest] = results;
      console.log(
        `\nOFFSET page ${deepest?.page} costs ${round((deepest?.offset.medianMs ?? 0) / (first?.offset.medianMs || 1), 0)}× page 1;` +
          ` keyset page ${deepest?.page} costs ${round((deepest?.keyset.medianMs ?? 0) / (first?.keyset.medianMs || 1), 1)}× page 1` +
          ` (median of ${RUNS} runs each).`,
      );
      const file = writeResults('pagination', {
        database: db.version,
        kind: db.kind,
        tickets: total,
        pageSize: PAGE_SIZE,
        pages: results,
      });
      console.log(`Results: ${file}`);
    } finally {
      await client.query('ROLLBACK'); // the index was never there
    }
  }
} finally {
  client.release();
  await db.close();
}
