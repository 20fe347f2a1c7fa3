import type { Ticket, TicketPriority, TicketStatus } from '@backend-path/shared/domain/tickets';
import { toComment } from '../comments/comments.repository.prisma.ts';
import type { Prisma, Ticket as TicketRow } from '../db/generated/prisma/client.ts';
import { describeDataError } from '../db/orm-errors.ts';
import type { PrismaDb } from '../db/prisma.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { isUuid } from './tickets.ids.ts';
import { isFinished, type OpenLimitReached } from './tickets.repository.ts';
import {
  boundedPage,
  COMMENTS_PER_TICKET,
  COUNT_CAP,
  type SearchableTicketRepository,
  type TicketSearch,
} from './tickets.search.ts';
import { escapeLike } from './tickets.sql.ts';

// The same contract as tickets.repository.pg.ts (test/tickets/tickets.repository.contract.ts runs
// one suite against both), written with Prisma's generated client. labs/compare.ts prints the SQL
// each method turns into.

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    accountId: row.accountId,
    subject: row.subject,
    description: row.description,
    // text + CHECK in the table, so Prisma types them as string; the CHECK guarantees the union.
    priority: row.priority as TicketPriority,
    status: row.status as TicketStatus,
    createdBy: row.createdBy,
    assigneeId: row.assigneeId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

function ticketWhere(query: TicketSearch): Prisma.TicketWhereInput {
  // `undefined` means "no condition" to Prisma, so optional filters need no if.
  const where: Prisma.TicketWhereInput = { accountId: query.accountId, status: query.status };
  if (query.q !== undefined && query.q !== '') {
    // LESSON: `contains` becomes ILIKE '%' || $1 || '%' and Prisma does NOT escape the value:
    // without escapeLike, q = '50%' would match "5 0 0 %" and '_' any character.
    where.subject = { contains: escapeLike(query.q), mode: 'insensitive' };
  }
  return where;
}

const NEWEST_FIRST: Prisma.TicketOrderByWithRelationInput[] = [
  { createdAt: 'desc' },
  { id: 'desc' },
];

// LESSON: Prisma has no SELECT … FOR UPDATE. Its escape hatch is raw SQL — still a tagged
// template, so `${id}` travels as a parameter ($1), never as text. The same statement reads
// the database's clock: updated_at and resolved_at come from PostgreSQL's now(), like
// created_at, never from this server's (a skewed app clock would break tickets_timestamps_ordered).
async function lockTicket(tx: Prisma.TransactionClient, id: string) {
  const rows = await tx.$queryRaw<
    { status: TicketStatus; created_by: string; subject: string; now: Date }[]
  >`SELECT status, created_by, subject, now()::timestamptz(3) AS now
    FROM tickets WHERE id = ${id}::uuid FOR UPDATE`;
  return rows[0];
}

/** The page's own filter: the list's, plus "after the cursor" on `?after=` (keyset). */
function pageWhere(query: TicketSearch): Prisma.TicketWhereInput {
  const where = ticketWhere(query);
  if (!query.after) return where;
  const createdAt = new Date(query.after.createdAt);
  // (created_at, id) < (…) spelled out: Prisma has no row comparison. LESSON: the plain
  // `created_at <= $t` is what the index can start from (an Index Cond); the OR inside it only
  // settles the ties on $t. Written as `created_at < $t OR (created_at = $t AND id < $id)`
  // alone, the condition has no range: the walk starts at the newest ticket and reads every
  // row before the cursor (tickets.plan.test.ts: "threw away").
  return {
    ...where,
    createdAt: { lte: createdAt },
    OR: [{ createdAt: { lt: createdAt } }, { id: { lt: query.after.id } }],
  };
}

// The open-ticket limit, as in tickets.repository.pg.ts: lock the creator's row (FOR NO KEY
// UPDATE, so foreign-key checks are not blocked), then count; that user's writes take turns.
async function lockCreatorAndCountOpen(tx: Prisma.TransactionClient, userId: string) {
  await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
  return tx.ticket.count({ where: { createdBy: userId, status: 'open' } });
}

/** The page, and one row more: whether the list goes on (meta.hasMore). */
function page(query: TicketSearch) {
  const skip = query.after ? 0 : (query.page - 1) * query.pageSize;
  return { where: pageWhere(query), skip, take: query.pageSize + 1 };
}

/** The list's rows counted up to COUNT_CAP + 1, along the page's index (tickets.sql.ts). */
function countArgs(query: TicketSearch) {
  return { where: ticketWhere(query), orderBy: NEWEST_FIRST, take: COUNT_CAP + 1 };
}

export function createPrismaTicketRepository(prisma: PrismaDb): SearchableTicketRepository {
  const repository: SearchableTicketRepository = {
    async create(input, maxOpen) {
      return prisma.$transaction(async (tx) => {
        const open = await lockCreatorAndCountOpen(tx, input.createdBy);
        if (open >= maxOpen) return { refused: 'open-limit', open } satisfies OpenLimitReached;
        return toTicket(await tx.ticket.create({ data: input }));
      });
    },

    async findById(id) {
      if (!isUuid(id)) return null;
      const row = await prisma.ticket.findUnique({ where: { id } });
      return row ? toTicket(row) : null;
    },

    async list(query) {
      const [rows, counted] = await Promise.all([
        prisma.ticket.findMany({ orderBy: NEWEST_FIRST, ...page(query) }),
        prisma.ticket.count(countArgs(query)),
      ]);
      return boundedPage(rows.map(toTicket), query.pageSize, counted);
    },

    // Lock the row, read it, then write: what the raw UPDATE's CASE decides in SQL (stamp
    // resolved_at or keep it) depends on the current status, which Prisma's update cannot read
    // inside its SET.
    async update(id, changes, { actorId, maxOpen }) {
      if (!isUuid(id)) return null;
      return prisma.$transaction(async (tx) => {
        const before = await lockTicket(tx, id);
        if (!before) return null;
        const newStatus = changes.status !== before.status ? changes.status : undefined;
        if (newStatus === 'open') {
          const open = await lockCreatorAndCountOpen(tx, before.created_by);
          if (open >= maxOpen) return { refused: 'open-limit', open } satisfies OpenLimitReached;
        }
        const data: Prisma.TicketUncheckedUpdateInput = { ...changes, updatedAt: before.now };
        if (newStatus === 'resolved') data.resolvedAt = before.now;
        if (changes.status === 'open' || changes.status === 'pending') data.resolvedAt = null;
        const row = await tx.ticket.update({ where: { id }, data });
        if (newStatus !== undefined) {
          await tx.activity.create({
            data: {
              ticketId: id,
              actorId,
              type: 'status_changed',
              details: { from: before.status, to: newStatus },
            },
          });
        }
        return toTicket(row);
      });
    },

    async remove(id, actorId) {
      if (!isUuid(id)) return false;
      return prisma.$transaction(async (tx) => {
        const before = await lockTicket(tx, id);
        if (!before) return false;
        await tx.ticket.delete({ where: { id } });
        // The trail outlives the ticket (migrations/0006): a last row says who deleted what.
        await tx.activity.create({
          data: {
            ticketId: id,
            actorId,
            type: 'deleted',
            details: { subject: before.subject, status: before.status },
          },
        });
        return true;
      });
    },

    async countOpenByCreator(userId) {
      return prisma.ticket.count({ where: { createdBy: userId, status: 'open' } });
    },

    // An interactive transaction: Prisma checks out one connection, sends BEGIN, runs the
    // callback's queries on it, then COMMIT — or ROLLBACK if the callback throws.
    async resolve(id, actorId) {
      if (!isUuid(id)) return null;
      return prisma.$transaction(async (tx) => {
        const before = await lockTicket(tx, id);
        if (!before) return null;
        if (isFinished(before.status)) {
          return { refused: 'finished' as const, status: before.status };
        }
        const row = await tx.ticket.update({
          where: { id },
          data: { status: 'resolved', resolvedAt: before.now, updatedAt: before.now },
        });
        await tx.activity.create({
          data: { ticketId: id, actorId, type: 'resolved', details: { from: before.status } },
        });
        return toTicket(row);
      });
    },

    // Three statements: the page, its comments, their counts. `include: { _count }` would join the
    // page to a GROUP BY of every comment in the table (tickets.plan.test.ts: a whole index read
    // per request), so the counts are asked for the page's tickets only.
    async listWithComments(query) {
      const [rows, counted] = await Promise.all([
        prisma.ticket.findMany({
          orderBy: NEWEST_FIRST,
          ...page(query),
          // Prisma reads every comment of the page's tickets (no per-ticket LIMIT in its SQL)
          // and keeps the newest few itself.
          include: {
            comments: {
              orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
              take: COMMENTS_PER_TICKET,
            },
          },
        }),
        prisma.ticket.count(countArgs(query)),
      ]);
      const ids = rows.map((row) => row.id);
      const counts = ids.length
        ? await prisma.comment.groupBy({
            by: ['ticketId'],
            where: { ticketId: { in: ids } },
            _count: { _all: true },
          })
        : [];
      const countOf = new Map(counts.map((c) => [c.ticketId, c._count._all]));
      const items = rows.map(({ comments, ...row }) => ({
        ...toTicket(row),
        comments: comments.reverse().map(toComment),
        commentCount: countOf.get(row.id) ?? 0,
      }));
      return boundedPage(items, query.pageSize, counted);
    },
  };
  return translateErrors(repository, describeDataError);
}
