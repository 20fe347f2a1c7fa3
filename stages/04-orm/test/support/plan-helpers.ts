import type { Ticket } from '@backend-path/shared/domain/tickets';
import { watchSession } from '@backend-path/shared/testing/watched-session';
import { insertPeople, insertTicketsServerSide, labDataset } from '../../labs/lib/lab-data.ts';
import { readTableKeys } from '../../labs/lib/table-keys.ts';
import type { DbClient, DbPool } from '../../src/db/pool.ts';

// What the plan tests need: a table the planner sees as it sees the lab's million tickets, a pool
// that records what the API sends, and the rules every plan of a list statement must keep.

/** PLAN_TEST_ROWS=1000000 runs the same plan tests on the lab's size (minutes to build). */
export const PLAN_ROWS = Number(process.env.PLAN_TEST_ROWS ?? 100_000);
/** As in the lab's 1M tickets in 50 accounts: 20,000 an account, about 1,500 a customer. */
const TICKETS_PER_ACCOUNT = 20_000;
/** Comments on the newest tickets (they hold every list's first pages), 2–8 each, as in pnpm bench. */
const COMMENTED_TICKETS = 5_000;

export interface PlanDataset {
  /** An account that holds tickets (stage 05 on: the caller's). */
  accountId: string;
  /** Its users, to call the API as each role. */
  users: ReturnType<typeof labDataset>['users'];
  /** A ticket of that account with comments: its conversation is a list too. */
  commentedTicketId: string;
}

const avg = (tickets: readonly Ticket[], field: (t: Ticket) => string) =>
  Math.round(tickets.reduce((sum, t) => sum + field(t).length, 0) / Math.max(tickets.length, 1));

/** The subjects the dataset cycles through: the shared generator's, seed 42. */
const SUBJECTS = [...labDataset(COMMENTED_TICKETS).tickets].map((t) => t.subject);

function mostFrequentWord(subjects: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const subject of subjects) {
    for (const word of new Set(subject.toLowerCase().match(/\p{L}{4,}/gu) ?? [])) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'ticket';
}

/** The most frequent word of 4+ letters in the subjects: a search that matches many rows. */
export const COMMON_WORD = mostFrequentWord(SUBJECTS);

/**
 * The build's bound: it takes 4–20 s here; PLAN_TEST_ROWS=1000000 gets ten times as long. (CI
 * once saw 400 s, before the load began with TRUNCATE: see below.)
 */
const BUILD_DEADLINE_MS = 540_000 * Math.max(1, PLAN_ROWS / 100_000);
/** For the hook that awaits the build: its own error (what the build waited on) comes first. */
export const PLAN_BUILD_TIMEOUT_MS = BUILD_DEADLINE_MS + 30_000;

/**
 * The lab's people and PLAN_ROWS tickets with the shared generator's subjects, in as many of its
 * accounts as give 20,000 tickets each; comments on the newest. Loaded as lab:seed loads (keys
 * dropped, rows in, keys back: seconds, not a minute), then VACUUM ANALYZE, as autovacuum would
 * have left a live table: statistics for the planner, a visibility map for index-only scans.
 * Checked by hand at 1M rows: every statement of the plan tests gets the same shape there.
 * The load runs on one connection, watched from another (shared watchSession): a session an
 * earlier file left holding a lock on these tables is ended and named rather than waited for
 * without end, and a slow build says every minute what it waits on (a lock, the disk, the CPU).
 */
export async function buildPlanDataset(pool: DbPool): Promise<PlanDataset> {
  const generated = labDataset(COMMENTED_TICKETS);
  const sample = [...generated.tickets];
  await insertPeople(pool, generated);
  const accounts = generated.accounts.slice(0, Math.ceil(PLAN_ROWS / TICKETS_PER_ACCOUNT));
  const customers = generated.users.filter(
    (u) => u.role === 'customer' && accounts.some((a) => a.id === u.accountId),
  );
  const client = await pool.connect();
  try {
    const backend = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const load = async () => {
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
        // A fresh empty file, as lab:seed starts from: setup.ts DELETEd this worker's few rows,
        // and if a session still held a snapshot older than an earlier file's updates, those
        // dead rows leave the indexes built below unusable until COMMIT (pg_index.indcheckxmin,
        // "broken HOT chains"): each comment's foreign-key check then read all 100,000 tickets.
        // CI's 400-second builds, spent in that INSERT, were this; reproduced here: 4 s → 280 s.
        await client.query('TRUNCATE tickets CASCADE');
        // The same rows every run: which tickets are resolved (random() in the load) decides how
        // many rows a page's scan throws away, so a plan's row counts, and a failure, repeat.
        await client.query('SELECT setseed(0.42)');
        const keys = await readTableKeys(client, 'tickets');
        for (const statement of keys.drop) await client.query(statement);
        await insertTicketsServerSide(client, {
          rows: PLAN_ROWS,
          customers,
          subjectLength: avg(sample, (t) => t.subject),
          descriptionLength: avg(sample, (t) => t.description),
          subjects: SUBJECTS,
        });
        for (const statement of keys.restore) await client.query(statement);
        await addComments(client);
        await client.query('COMMIT');
      } catch (error: unknown) {
        await client.query('ROLLBACK');
        throw error;
      }
      await client.query('VACUUM ANALYZE tickets');
      await client.query('VACUUM ANALYZE comments');
    };
    await watchSession(pool, backend.rows[0]?.pid ?? 0, load, {
      what: `the plan dataset (${PLAN_ROWS} tickets)`,
      deadlineMs: BUILD_DEADLINE_MS,
    });
  } finally {
    client.release();
  }
  const { rows } = await pool.query<{ ticket_id: string }>(
    `SELECT c.ticket_id FROM comments c JOIN tickets t ON t.id = c.ticket_id
     WHERE t.account_id = $1 ORDER BY c.ticket_id LIMIT 1`,
    [accounts[0]?.id],
  );
  return {
    accountId: accounts[0]?.id ?? '',
    users: generated.users.filter((u) => u.accountId === accounts[0]?.id),
    commentedTicketId: rows[0]?.ticket_id ?? '',
  };
}

async function addComments(client: DbClient): Promise<void> {
  await client.query(
    `INSERT INTO comments (ticket_id, author_id, body, created_at)
     SELECT t.id, t.created_by, 'Comment ' || k || ' on this ticket', t.created_at + k * interval '1 minute'
     FROM (SELECT id, created_by, created_at FROM tickets
           ORDER BY created_at DESC, id DESC LIMIT $1) AS t,
          generate_series(1, 2 + abs(hashtext(t.created_at::text)) % 7) AS k`,
    [COMMENTED_TICKETS],
  );
}

export interface Sent {
  text: string;
  values: unknown[];
}

/** `pool`, recording every statement sent through `query` (what the repositories call). */
export function recordingPool(pool: DbPool, sent: Sent[]): DbPool {
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (text: string, values: unknown[]) => {
        sent.push({ text, values });
        return target.query(text, values);
      };
    },
  });
}

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

export const flatten = (node: PlanNode): PlanNode[] => [
  node,
  ...(node.Plans ?? []).flatMap(flatten),
];

/**
 * The plan the statement gets with its own values, run (ANALYZE) to count the rows each node read;
 * with `analyze: false` only planned: the planner's choice, at no cost.
 */
export async function planOf(
  db: DbPool | DbClient,
  { text, values }: Sent,
  { analyze = true } = {},
): Promise<PlanNode> {
  const options = analyze ? 'ANALYZE, FORMAT JSON' : 'FORMAT JSON';
  const { rows } = await db.query(`EXPLAIN (${options}) ${text}`, values);
  return rows[0]['QUERY PLAN'][0].Plan;
}

export const describeNode = (n: PlanNode) =>
  `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`;

const TABLES = ['tickets', 'comments'];

/** The scans whose rows reach `node` unbounded: a Limit in between caps what they yield. */
function feeding(node: PlanNode): PlanNode[] {
  return (node.Plans ?? []).flatMap((child) =>
    child['Node Type'] === 'Limit'
      ? []
      : [...(child['Relation Name'] ? [child] : []), ...feeding(child)],
  );
}

/** Reads only what an index condition found: not the table, not a whole index. */
function narrowedByIndex(scan: PlanNode): boolean {
  // A bitmap is always built by Bitmap Index Scans, each with its Index Cond.
  if (scan['Node Type'] === 'Bitmap Heap Scan') return true;
  return /^Index (Only )?Scan$/.test(scan['Node Type']) && scan['Index Cond'] !== undefined;
}

/**
 * What is wrong with a list statement's plan, in words ([] when nothing is). The rules:
 * - no Seq Scan of tickets or comments: every row read was found through an index;
 * - no whole index read either: a scan of tickets without an index condition (the list with no
 *   filter walks tickets_created_idx from its start) must have a Limit above it to stop it, as a
 *   page and a bounded count do; `count(*)` of every ticket has none;
 * - no Sort over a table: a Sort may order rows that an index condition found (one ticket's
 *   comments; the matches a trigram index found for `q`; the rows of the deepest OFFSET page,
 *   which the planner may collect by bitmap), or rows a Limit already capped (the page itself),
 *   never every row of a table or of a whole index. A top-N sort of a few hundred matches is
 *   not the sort of a million rows that the index is there to avoid;
 * - `inOrder` (a first or keyset page, a count, without `q`): the tickets come out of an index in
 *   the list's order, so no Sort touches them at all (but the one a bounded count may use). That is
 *   what the sort key at the end of each composite index buys: LIMIT stops after the rows it needs.
 *   And the index holds the filter too: a scan may not throw away more than 4 rows for each it
 *   keeps. (Walking the list's order and dropping 24 of every 25 rows would pass the other rules:
 *   `?status=open` without its index. For a filter that 1 row in 5 or more passes, the planner may
 *   rightly walk the order-only index instead: it does for `resolved` and `closed`, 30% and 62% of
 *   tickets. A page's 21 rows are a small sample of that rate: on unseeded rows, 1 build in 15 had
 *   the newest resolved tickets so sparse that the first page dropped 88 rows for its 21. The
 *   seeded load drops 56, every run.)
 */
export function planProblems(root: PlanNode, options: { inOrder: boolean }): string[] {
  const problems: string[] = [];
  for (const scan of unlimited(root)) {
    problems.push(`${describeNode(scan)} with nothing to stop it: the whole index read`);
  }
  for (const { node, parents } of withParents(root)) {
    if (node['Node Type'] === 'Seq Scan' && TABLES.includes(node['Relation Name'] ?? '')) {
      problems.push(`${describeNode(node)}: every row of the table read`);
    }
    const loops = node['Actual Loops'] ?? 1;
    const kept = (node['Actual Rows'] ?? 0) * loops;
    const removed = (node['Rows Removed by Filter'] ?? 0) * loops;
    if (options.inOrder && node['Relation Name'] === 'tickets' && removed > 4 * kept) {
      problems.push(`${describeNode(node)} kept ${kept} rows and threw away ${removed}`);
    }
    if (node['Node Type'] !== 'Sort') continue;
    // A bounded count (Aggregate ← Limit ← Sort) needs no order: its ORDER BY steers it onto the
    // page's index, and when the filter is narrow (a customer's 1,500 tickets) the planner may
    // rather collect them by bitmap and sort them to pick the 1,001 to count. That is allowed.
    const [limit, aggregate] = parents;
    const countsOnly = limit?.['Node Type'] === 'Limit' && aggregate?.['Node Type'] === 'Aggregate';
    for (const scan of feeding(node)) {
      if (!TABLES.includes(scan['Relation Name'] ?? '')) continue;
      if (!narrowedByIndex(scan)) {
        problems.push(`Sort over ${describeNode(scan)}: the whole table sorted`);
      } else if (options.inOrder && !countsOnly && scan['Relation Name'] === 'tickets') {
        problems.push(`Sort over ${describeNode(scan)}: an index should give this order`);
      }
    }
  }
  return problems;
}

/** Every node with its ancestors, nearest first. */
function withParents(
  node: PlanNode,
  parents: PlanNode[] = [],
): { node: PlanNode; parents: PlanNode[] }[] {
  return [
    { node, parents },
    ...(node.Plans ?? []).flatMap((child) => withParents(child, [node, ...parents])),
  ];
}

/** Scans of tickets that no index condition narrows and no Limit above them stops. */
function unlimited(node: PlanNode, limited = false): PlanNode[] {
  const stopped = limited || node['Node Type'] === 'Limit';
  const here =
    node['Relation Name'] === 'tickets' && !narrowedByIndex(node) && !stopped ? [node] : [];
  return [...here, ...(node.Plans ?? []).flatMap((child) => unlimited(child, stopped))];
}

/** The index names a plan reads. */
export const indexesOf = (root: PlanNode) =>
  flatten(root).flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));
