import { parseArgs } from 'node:util';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import {
  type Contender,
  type LabFixture,
  OPERATIONS,
  type Operation,
  openContenders,
} from './lib/compare-contenders.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { account, resetLabTickets } from './lib/n-plus-one-data.ts';
import { median, printTable, round, writeResults } from './lib/report.ts';

// pnpm lab:compare [--iterations 500] [--force]
// The same five operations through the pg driver directly, our raw-pg repository, Prisma and
// TypeORM: the SQL each one sends, how many statements, and what it costs.
const { values: args } = parseArgs({
  options: {
    iterations: { type: 'string', default: '500' },
    force: { type: 'boolean', default: false }, // read by openLabDatabase()
  },
});
const ITERATIONS = Number(args.iterations);
if (!Number.isInteger(ITERATIONS) || ITERATIONS <= 0)
  throw new Error('--iterations: a positive integer');
const WARMUP = Math.min(50, ITERATIONS);
const BASELINE = 'pg repository';

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();
const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1] ?? 0;

/** One call, with every statement seen on the wire and what the library's own log said. */
async function capture(contender: Contender, op: Operation) {
  contender.log?.splice(0);
  const counter = countQueries(pg.Client);
  try {
    await contender.runs[op](0);
  } finally {
    counter.stop();
  }
  const wire = counter.statements.map(oneLine);
  const logged = (contender.log ?? counter.statements).map(oneLine);
  return { wire, logged };
}

/** Interleaved: each round runs every contender once, in a freshly shuffled order. */
async function time(contenders: Contender[], op: Operation): Promise<Map<string, number[]>> {
  const times = new Map(contenders.map((c) => [c.name, [] as number[]]));
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; // a fixed sequence: runs are comparable
    return seed / 2 ** 31;
  };
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    // Shuffled, not rotated: who runs right after whom (same pool or not) must not be fixed.
    const order = contenders.map((c) => ({ c, key: random() })).sort((a, b) => a.key - b.key);
    for (const { c: contender } of order) {
      const started = performance.now();
      await contender.runs[op](i + 1);
      if (i >= WARMUP) times.get(contender.name)?.push(performance.now() - started);
    }
  }
  return times;
}

const db = await openLabDatabase();
const reopen = (id: string) =>
  db.pool.query(
    `UPDATE tickets SET status = 'open', resolved_at = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
const opened: Contender[] = [];
try {
  const commentCount = await resetLabTickets(db.pool, 200);
  // The previous run's rows were just deleted: without a VACUUM their dead index entries slow
  // the list queries down, differently from run to run.
  await db.pool.query('VACUUM ANALYZE tickets, comments');
  const { rows: users } = await db.pool.query<{ id: string; role: string }>(
    'SELECT id, role FROM users WHERE account_id = $1 ORDER BY role',
    [account.id],
  );
  // Open tickets first: the SQL shown for resolve is that of resolving an open ticket.
  const { rows: tickets } = await db.pool.query<{ id: string }>(
    `SELECT id FROM tickets WHERE account_id = $1 ORDER BY status = 'open' DESC, created_at LIMIT 100`,
    [account.id],
  );
  const fixture: LabFixture = {
    ticketIds: tickets.map((t) => t.id),
    accountId: account.id,
    creatorId: users.find((u) => u.role === 'customer')?.id ?? '',
    actorId: users.find((u) => u.role === 'agent')?.id ?? '',
  };
  const logging = await openContenders(db.pool, db.url, fixture, true);
  const timing = await openContenders(db.pool, db.url, fixture, false);
  opened.push(...logging, ...timing);
  console.log(
    `${db.version}: 200 tickets, ${commentCount} comments in the lab account; pages of 20; ` +
      `${ITERATIONS} timed calls per operation and contender after ${WARMUP} warm-up calls.\n`,
  );

  const table: Record<string, string | number>[] = [];
  const results: Record<string, unknown> = {};
  for (const op of OPERATIONS) {
    console.log(`━━ ${op}`);
    const sql: Record<string, { wire: string[]; logged: string[] }> = {};
    for (const contender of logging.slice(1)) {
      // Each contender resolves the same OPEN ticket, or TypeORM (which writes only the columns
      // that changed) would show an UPDATE without `status`.
      if (op === 'resolve (transaction)') await reopen(fixture.ticketIds[0] ?? '');
      const seen = await capture(contender, op);
      sql[contender.name] = seen;
      const label = contender.name === BASELINE ? 'hand-written (pg repository)' : contender.name;
      console.log(`  ${label}: ${seen.wire.length} statement(s) on the wire`);
      for (const statement of seen.wire) {
        const unlogged = contender.log !== null && !seen.logged.includes(statement);
        console.log(`    ${unlogged ? '(not in its log) ' : ''}${statement}`);
      }
    }
    console.log();
    const times = await time(timing, op);
    const baseline = median(times.get(BASELINE) ?? []);
    const rows = timing.map((contender) => {
      const measured = times.get(contender.name) ?? [];
      const seen = sql[contender.name] ?? sql[BASELINE];
      return {
        name: contender.name,
        statements: seen?.wire.length ?? 0,
        logged: contender.log === null ? (seen?.wire.length ?? 0) : (seen?.logged.length ?? 0),
        medianMs: round(median(measured), 3),
        p95Ms: round(p95(measured), 3),
        ratio: round(median(measured) / baseline, 2),
      };
    });
    results[op] = { sql, contenders: rows };
    for (const r of rows) {
      table.push({
        operation: op,
        implementation: r.name,
        statements: r.statements,
        'in its log': r.logged,
        'median ms': r.medianMs,
        'p95 ms': r.p95Ms,
        '× raw pg': r.ratio,
      });
    }
  }

  printTable(table);
  const overhead = OPERATIONS.map((op) => {
    const rows = (results[op] as { contenders: { name: string; medianMs: number }[] }).contenders;
    const driver = rows.find((r) => r.name === 'pg driver (direct)')?.medianMs ?? 1;
    return (rows.find((r) => r.name === BASELINE)?.medianMs ?? 0) / driver;
  });
  console.log(
    `\nOur pg repository vs the pg driver called directly: ${Math.min(...overhead).toFixed(2)}–` +
      `${Math.max(...overhead).toFixed(2)}× (goal ≤ 1.2×).`,
  );
  const file = writeResults('compare', {
    database: db.version,
    kind: db.kind,
    iterations: ITERATIONS,
    warmup: WARMUP,
    repositoryOverDriver: overhead.map((x) => round(x, 2)),
    operations: results,
  });
  console.log(`Results: ${file}`);
} finally {
  for (const contender of opened) await contender.close();
  await db.close();
}
