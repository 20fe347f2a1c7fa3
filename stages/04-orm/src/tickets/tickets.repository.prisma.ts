import type { Ticket, TicketPriority, TicketStatus } from '@backend-path/shared/domain/tickets';
import { toComment } from '../comments/comments.repository.prisma.ts';
import type { Prisma, Ticket as TicketRow } from '../db/generated/prisma/client.ts';
import { isPrismaNotFound } from '../db/orm-errors.ts';
import type { PrismaDb } from '../db/prisma.ts';
import { isUuid } from './tickets.ids.ts';
import {
  COMMENTS_PER_TICKET,
  type SearchableTicketRepository,
  type TicketSearch,
} from './tickets.search.ts';
import { escapeLike } from './tickets.sql.ts';

// The same contract as tickets.repository.pg.ts (test/tickets.repository.contract.ts runs one
// suite against both), written with Prisma's generated client. labs/compare.ts prints the SQL
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
// template, so `${id}` travels as a parameter ($1), never as text.
async function lockTicket(tx: Prisma.TransactionClient, id: string) {
  const rows = await tx.$queryRaw<{ status: TicketStatus }[]>`
    SELECT status FROM tickets WHERE id = ${id}::uuid FOR UPDATE`;
  return rows[0];
}

/** The page's own filter: the list's, plus "after the cursor" on `?after=` (keyset). */
function pageWhere(query: TicketSearch): Prisma.TicketWhereInput {
  const where = ticketWhere(query);
  if (!query.after) return where;
  const createdAt = new Date(query.after.createdAt);
  // (created_at, id) < (…) spelled out: Prisma has no row comparison.
  return {
    ...where,
    OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: query.after.id } }],
  };
}

function page(query: TicketSearch) {
  const skip = query.after ? 0 : (query.page - 1) * query.pageSize;
  return { where: pageWhere(query), skip, take: query.pageSize };
}

export function createPrismaTicketRepository(prisma: PrismaDb): SearchableTicketRepository {
  return {
    async create(input) {
      return toTicket(await prisma.ticket.create({ data: input }));
    },

    async findById(id) {
      if (!isUuid(id)) return null;
      const row = await prisma.ticket.findUnique({ where: { id } });
      return row ? toTicket(row) : null;
    },

    async list(query) {
      const where = ticketWhere(query);
      const [rows, total] = await Promise.all([
        prisma.ticket.findMany({ orderBy: NEWEST_FIRST, ...page(query) }),
        prisma.ticket.count({ where }),
      ]);
      return { items: rows.map(toTicket), total };
    },

    async update(id, changes) {
      if (!isUuid(id)) return null;
      const now = new Date();
      const data: Prisma.TicketUncheckedUpdateInput = { ...changes, updatedAt: now };
      if (changes.status === 'open' || changes.status === 'pending') data.resolvedAt = null;
      try {
        if (changes.status !== 'resolved') {
          return toTicket(await prisma.ticket.update({ where: { id }, data }));
        }
        // Becoming resolved stamps resolved_at, staying resolved keeps it: that depends on the
        // current status, which Prisma's update cannot read inside its SET (the raw UPDATE's
        // CASE can). So: lock the row, read it, then write — three statements and a transaction.
        return await prisma.$transaction(async (tx) => {
          const before = await lockTicket(tx, id);
          if (!before) return null;
          if (before.status !== 'resolved') data.resolvedAt = now;
          return toTicket(await tx.ticket.update({ where: { id }, data }));
        });
      } catch (error: unknown) {
        if (isPrismaNotFound(error)) return null; // P2025: no row had the id
        throw error;
      }
    },

    async remove(id) {
      if (!isUuid(id)) return false;
      // deleteMany, not delete: delete throws P2025 when nothing matched.
      const { count } = await prisma.ticket.deleteMany({ where: { id } });
      return count === 1;
    },

    async countOpenByCreator(userId) {
      return prisma.ticket.count({ where: { createdBy: userId, status: 'open' } });
    },

    // An interactive transaction: Prisma checks out one connection, sends BEGIN, runs the
    // callback's queries on it, then COMMIT — or ROLLBACK if the callback throws.
    async resolve(id, actorId) {
      if (!isUuid(id)) return null;
      const now = new Date();
      return prisma.$transaction(async (tx) => {
        const before = await lockTicket(tx, id);
        if (!before) return null;
        const row = await tx.ticket.update({
          where: { id },
          data: { status: 'resolved', resolvedAt: now, updatedAt: now },
        });
        await tx.activity.create({
          data: { ticketId: id, actorId, type: 'resolved', details: { from: before.status } },
        });
        return toTicket(row);
      });
    },

    async listWithComments(query) {
      const where = ticketWhere(query);
      const [rows, total] = await Promise.all([
        prisma.ticket.findMany({
          orderBy: NEWEST_FIRST,
          ...page(query),
          include: {
            // The newest few per ticket (reversed below: oldest first), and how many in all.
            comments: {
              orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
              take: COMMENTS_PER_TICKET,
            },
            _count: { select: { comments: true } },
          },
        }),
        prisma.ticket.count({ where }),
      ]);
      const items = rows.map(({ _count, ...row }) => ({
        ...toTicket(row),
        comments: row.comments.reverse().map(toComment),
        commentCount: _count.comments,
      }));
      return { items, total };
    },
  };
}
