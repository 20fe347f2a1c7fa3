import { deepStrictEqual } from 'node:assert';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import {
  type CommentRepository,
  createPgCommentRepository,
} from '../src/comments/comments.repository.pg.ts';
import { closePool, createPool, type DbPool } from '../src/db/pool.ts';
import { createPgTicketRepository } from '../src/tickets/tickets.repository.pg.ts';
import {
  COMMENTS_PER_TICKET,
  type SearchableTicketRepository,
  type TicketSearch,
} from '../src/tickets/tickets.search.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { startLatencyProxy } from './lib/latency-proxy.ts';
import { account, resetLabTickets } from './lib/n-plus-one-data.ts';
import { createProgress } from './lib/progress.ts';
import { median, printTable, round, writeResults } from './lib/report.ts';

// pnpm lab:n-plus-one — a page of 100 tickets with their comments, two ways.
const PAGE = 100;
// LESSON: the N+1 shape. It reads naturally — list the tickets, then each one's comments —
// and sends one query per ticket: 100 round trips, 100 parse/plan/execute cycles.
// It lives here, in the lab, on purpose: src/ only has the one-query version.
async function listWithCommentsNaive(
  tickets: SearchableTicketRepository,
  comments: CommentRepository,
  query: TicketSearch,
) {
  const page = await tickets.list(query); // 1 query for the page (+1 for the total)
  const items = [];
  for (const ticket of page.items) {
    const all = await comments.listByTicket(ticket.id); // N queries
    items.push({
      ...ticket,
      comments: all.slice(-COMMENTS_PER_TICKET), // the newest, as listWithComments caps them
      commentCount: all.length,
    });
  }
  return { ...page, items }; // the page's total, totalExact and hasMore, its tickets with comments
}

async function countedCall<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const counter = countQueries(pg.Client);
  try {
    return { result: await work(), queries: counter.count };
  } finally {
    counter.stop();
  }
}

interface Timing {
  network: string;
  'RTT ms': number;
  'naive ms': number;
  'one query ms': number;
  'faster ×': number;
}

// Times both approaches through `pool`, interleaved (a busy moment on the machine hits both
// alike), after 3 warm-up rounds; medians, since one slow outlier should not decide.
async function timeBoth(pool: DbPool, network: string, rounds: number): Promise<Timing> {
  const tickets = createPgTicketRepository(pool);
  const comments = createPgCommentRepository(pool);
  const query: TicketSearch = { accountId: account.id, page: 1, pageSize: PAGE };
  const runs = {
    naive: () => listWithCommentsNaive(tickets, comments, query),
    single: () => tickets.listWithComments(query),
    ping: () => pool.query('SELECT 1'),
  };
  const times = { naive: [] as number[], single: [] as number[], ping: [] as number[] };
  const progress = createProgress(network, rounds, 'rounds');
  for (let i = 0; i < rounds + 3; i++) {
    for (const name of ['naive', 'single', 'ping'] as const) {
      const started = performance.now();
      await runs[name]();
      if (i >= 3) times[name].push(performance.now() - started);
    }
    if (i >= 3) progress.tick(i - 2);
  }
  progress.finish();
  return {
    network,
    'RTT ms': round(median(times.ping), 3),
    'naive ms': round(median(times.naive)),
    'one query ms': round(median(times.single)),
    'faster ×': round(median(times.naive) / median(times.single), 1),
  };
}

const db = await openLabDatabase();
const proxy = await startLatencyProxy(db.url, 1);
const remote = createPool(proxy.url, { max: 2 });
try {
  const commentCount = await resetLabTickets(db.pool, PAGE);
  await db.pool.query('ANALYZE tickets, comments'); // fresh statistics, as autovacuum would keep them
  const tickets = createPgTicketRepository(db.pool);
  const comments = createPgCommentRepository(db.pool);
  const query: TicketSearch = { accountId: account.id, page: 1, pageSize: PAGE };
  const naive = await countedCall(() => listWithCommentsNaive(tickets, comments, query));
  const single = await countedCall(() => tickets.listWithComments(query));
  deepStrictEqual(single.result, naive.result); // same answer, or the comparison is void
  console.log(`${db.version}: ${PAGE} tickets, ${commentCount} comments. Both approaches return`);
  console.log(
    `identical data; naive sends ${naive.queries} queries, listWithComments ${single.queries}.\n`,
  );

  const timings = [
    await timeBoth(db.pool, 'localhost', 30),
    await timeBoth(remote, 'via 1 ms-each-way proxy', 15),
  ];
  console.log();
  printTable(timings as unknown as Record<string, string | number>[]);
  console.log('\nGoal: one query ≥ 10× faster. The gap is round trips: it grows with the RTT.');
  const file = writeResults('n-plus-one', {
    database: db.version,
    kind: db.kind,
    tickets: PAGE,
    comments: commentCount,
    queries: { naive: naive.queries, single: single.queries },
    timings,
  });
  console.log(`Results: ${file}`);
} finally {
  await closePool(remote);
  await proxy.close();
  await db.close();
}
