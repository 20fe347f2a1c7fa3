import { deepStrictEqual } from 'node:assert';
import { closePrismaClient, createPrismaClient } from '../src/db/prisma.ts';
import { CommentEntity } from '../src/db/typeorm/comment.entity.ts';
import { TicketEntity } from '../src/db/typeorm/ticket.entity.ts';
import { connectTypeorm } from '../src/db/typeorm.ts';
import { openLabDatabase } from './lib/lab-database.ts';
import { account, resetLabTickets } from './lib/n-plus-one-data.ts';
import { median, printTable, round, writeResults } from './lib/report.ts';

// pnpm lab:orm-n-plus-one — lab:n-plus-one again, with the ORMs: a page of 100 tickets with
// their comments, written the lazy way (load the page, then each ticket's comments) and the
// ORM's way (Prisma `include`, TypeORM `relations`). Statements are counted from each ORM's
// own query log.
const PAGE = 100;
const REPETITIONS = 30;
const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] as const;
const OLDEST_FIRST = [{ createdAt: 'asc' }, { id: 'asc' }] as const;

const db = await openLabDatabase();
const log: string[] = [];
const prisma = createPrismaClient(db.pool, { onQuery: (sql) => log.push(sql) });
const dataSource = await connectTypeorm(db.url, { max: 4, onQuery: (sql) => log.push(sql) });
try {
  const commentCount = await resetLabTickets(db.pool, PAGE);
  await db.pool.query('VACUUM ANALYZE tickets, comments'); // the previous run's rows are dead
  const where = { accountId: account.id };
  const tickets = dataSource.getRepository(TicketEntity);
  const comments = dataSource.getRepository(CommentEntity);
  const byDate = (a: CommentEntity, b: CommentEntity) =>
    a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1);

  // What each returns, reduced to ticket id → comment ids, so the four can be compared.
  type Shape = [string, string[]][];
  const approaches: { orm: string; approach: string; run: () => Promise<Shape> }[] = [
    {
      orm: 'prisma',
      approach: 'lazy: findMany, then comment.findMany per ticket',
      async run() {
        const page = await prisma.ticket.findMany({
          where,
          orderBy: [...NEWEST_FIRST],
          take: PAGE,
        });
        const shape: Shape = [];
        for (const ticket of page) {
          const rows = await prisma.comment.findMany({
            where: { ticketId: ticket.id },
            orderBy: [...OLDEST_FIRST],
          });
          shape.push([ticket.id, rows.map((c) => c.id)]);
        }
        return shape;
      },
    },
    {
      orm: 'prisma',
      approach: 'include: { comments }',
      async run() {
        const page = await prisma.ticket.findMany({
          where,
          orderBy: [...NEWEST_FIRST],
          take: PAGE,
          include: { comments: { orderBy: [...OLDEST_FIRST] } },
        });
        return page.map((t) => [t.id, t.comments.map((c) => c.id)]);
      },
    },
    {
      orm: 'typeorm',
      approach: 'lazy: find, then comments.find per ticket',
      async run() {
        const page = await tickets.find({
          where,
          order: { createdAt: 'DESC', id: 'DESC' },
          take: PAGE,
        });
        const shape: Shape = [];
        for (const ticket of page) {
          const rows = await comments.find({
            where: { ticketId: ticket.id },
            order: { createdAt: 'ASC', id: 'ASC' },
          });
          shape.push([ticket.id, rows.map((c) => c.id)]);
        }
        return shape;
      },
    },
    {
      orm: 'typeorm',
      approach: 'relations: { comments: true }',
      async run() {
        const page = await tickets.find({
          where,
          order: { createdAt: 'DESC', id: 'DESC' },
          take: PAGE,
          relations: { comments: true },
        });
        return page.map((t) => [t.id, (t.comments ?? []).sort(byDate).map((c) => c.id)]);
      },
    },
  ];

  const counted = [];
  let expected: Shape | undefined;
  for (const a of approaches) {
    log.length = 0;
    const shape = await a.run();
    expected ??= shape;
    deepStrictEqual(shape, expected); // same answer, or the comparison is void
    counted.push({ ...a, statements: log.length, sample: log.slice(0, 3) });
  }
  console.log(`${db.version}: ${PAGE} tickets, ${commentCount} comments; all four agree.\n`);

  const times = approaches.map(() => [] as number[]);
  for (let i = 0; i < REPETITIONS + 3; i++) {
    for (const [k, a] of approaches.entries()) {
      const started = performance.now();
      await a.run();
      if (i >= 3) times[k]?.push(performance.now() - started);
    }
  }
  const rows = counted.map((a, k) => ({
    orm: a.orm,
    approach: a.approach,
    statements: a.statements,
    'median ms': round(median(times[k] ?? [])),
  }));
  printTable(rows);
  for (const a of counted.filter((c) => !c.approach.startsWith('lazy'))) {
    console.log(`\n${a.orm} ${a.approach}:`);
    for (const sql of a.sample) console.log(`  ${sql.replace(/\s+/g, ' ').slice(0, 300)}…`);
  }
  const file = writeResults('orm-n-plus-one', {
    database: db.version,
    kind: db.kind,
    tickets: PAGE,
    comments: commentCount,
    results: rows,
  });
  console.log(`\nResults: ${file}`);
} finally {
  await closePrismaClient(prisma);
  await dataSource.destroy();
  await db.close();
}
