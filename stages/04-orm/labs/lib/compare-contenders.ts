import type { DbPool } from '../../src/db/pool.ts';
import { closePrismaClient, createPrismaClient } from '../../src/db/prisma.ts';
import { connectTypeorm } from '../../src/db/typeorm.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { createPrismaTicketRepository } from '../../src/tickets/tickets.repository.prisma.ts';
import { createTypeormTicketRepository } from '../../src/tickets/tickets.repository.typeorm.ts';
import type { SearchableTicketRepository, TicketSearch } from '../../src/tickets/tickets.search.ts';
import {
  listPageSql,
  listWithCommentsSql,
  TICKET_COLUMNS,
  ticketColumnsOf,
  ticketFilter,
} from '../../src/tickets/tickets.sql.ts';

// labs/compare.ts's contestants: the pg driver called directly (the floor), our raw-pg
// repository, Prisma and TypeORM — each able to run the same five operations.
export const OPERATIONS = [
  'get by id',
  'paginated list',
  'list with comments',
  'create',
  'resolve (transaction)',
] as const;
export type Operation = (typeof OPERATIONS)[number];
type Run = (i: number) => Promise<unknown>;

export interface LabFixture {
  ticketIds: string[];
  accountId: string;
  creatorId: string;
  actorId: string;
}

export interface Contender {
  name: string;
  runs: Record<Operation, Run>;
  /** What the library's own query log showed (null: it has none, the wire is the log). */
  log: string[] | null;
  close(): Promise<void>;
}

const pick = (ids: string[], i: number) => ids[i % ids.length] ?? '';

function listQuery(f: LabFixture): TicketSearch {
  return { accountId: f.accountId, page: 1, pageSize: 20 };
}

function repositoryRuns(repo: SearchableTicketRepository, f: LabFixture): Record<Operation, Run> {
  return {
    'get by id': (i) => repo.findById(pick(f.ticketIds, i)),
    'paginated list': () => repo.list(listQuery(f)),
    'list with comments': () => repo.listWithComments(listQuery(f)),
    // No open-ticket limit here: the lab measures the write path (lock, count, insert).
    create: (i) =>
      repo.create(
        {
          accountId: f.accountId,
          createdBy: f.creatorId,
          subject: `Compare lab ticket ${i}`,
          description: 'Created by labs/compare.ts',
          priority: 'low',
          assigneeId: null,
        },
        Number.POSITIVE_INFINITY,
      ),
    'resolve (transaction)': (i) => repo.resolve(pick(f.ticketIds, i), f.actorId),
  };
}

// The same SQL the repository sends, without the repository: no isUuid, no row mapping.
function driverRuns(pool: DbPool, f: LabFixture): Record<Operation, Run> {
  return {
    'get by id': (i) =>
      pool.query(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = $1`, [pick(f.ticketIds, i)]),
    'paginated list': () => {
      const page = listPageSql(listQuery(f));
      const countValues: unknown[] = [];
      const where = ticketFilter(listQuery(f), countValues);
      return Promise.all([
        pool.query(page.text, page.values),
        pool.query(`SELECT count(*)::int AS total FROM tickets ${where}`, countValues),
      ]);
    },
    'list with comments': () => {
      const { text, values } = listWithCommentsSql(listQuery(f));
      return pool.query(text, values);
    },
    create: (i) =>
      pool.query(
        `INSERT INTO tickets (account_id, created_by, assignee_id, subject, description, priority)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TICKET_COLUMNS}`,
        [
          f.accountId,
          f.creatorId,
          null,
          `Compare lab ticket ${i}`,
          'Created by labs/compare.ts',
          'low',
        ],
      ),
    'resolve (transaction)': async (i) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ previous_status: string }>(
          `UPDATE tickets AS t SET status = 'resolved', resolved_at = now(), updated_at = now()
           FROM (SELECT id, status FROM tickets WHERE id = $1 FOR UPDATE) AS before
           WHERE t.id = before.id
           RETURNING before.status AS previous_status, ${ticketColumnsOf('t')}`,
          [pick(f.ticketIds, i)],
        );
        await client.query(
          `INSERT INTO activity (ticket_id, actor_id, type, details) VALUES ($1, $2, 'resolved', $3)`,
          [pick(f.ticketIds, i), f.actorId, { from: rows[0]?.previous_status }],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
  };
}

/** The four contenders; `logging` turns on the ORMs' query logs (off while timing). */
export async function openContenders(
  pool: DbPool,
  url: string,
  f: LabFixture,
  logging: boolean,
): Promise<Contender[]> {
  const prismaLog: string[] = [];
  const typeormLog: string[] = [];
  const prisma = createPrismaClient(pool, logging ? { onQuery: (sql) => prismaLog.push(sql) } : {});
  const dataSource = await connectTypeorm(url, {
    max: 4,
    ...(logging ? { onQuery: (sql: string) => typeormLog.push(sql) } : {}),
  });
  const none = async () => {};
  return [
    { name: 'pg driver (direct)', runs: driverRuns(pool, f), log: null, close: none },
    {
      name: 'pg repository',
      runs: repositoryRuns(createPgTicketRepository(pool), f),
      log: null,
      close: none,
    },
    {
      name: 'prisma',
      runs: repositoryRuns(createPrismaTicketRepository(prisma), f),
      log: prismaLog,
      close: () => closePrismaClient(prisma),
    },
    {
      name: 'typeorm',
      runs: repositoryRuns(createTypeormTicketRepository(dataSource), f),
      log: typeormLog,
      close: () => dataSource.destroy(),
    },
  ];
}
