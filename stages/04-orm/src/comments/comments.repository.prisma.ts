import type { Comment } from '@backend-path/shared/domain/comments';
import type { Comment as CommentRow } from '../db/generated/prisma/client.ts';
import { describeDataError } from '../db/orm-errors.ts';
import type { PrismaDb } from '../db/prisma.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { isUuid } from '../tickets/tickets.ids.ts';
import { boundedPage, COUNT_CAP } from '../tickets/tickets.search.ts';
import type { CommentRepository } from './comments.repository.pg.ts';

export function toComment(row: CommentRow): Comment {
  const { id, ticketId, authorId, body } = row;
  return { id, ticketId, authorId, body, createdAt: row.createdAt.toISOString() };
}

export function createPrismaCommentRepository(prisma: PrismaDb): CommentRepository {
  const repository: CommentRepository = {
    // An unknown ticket: P2003 on comments_ticket_id_fkey, which describeDataError maps to 404.
    async create({ ticketId, authorId, body }) {
      return toComment(await prisma.comment.create({ data: { ticketId, authorId, body } }));
    },

    async listByTicket(ticketId) {
      if (!isUuid(ticketId)) return [];
      const rows = await prisma.comment.findMany({
        where: { ticketId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toComment);
    },

    // As the pg repository: one row more than the page, a count that stops at COUNT_CAP + 1.
    async pageByTicket(ticketId, { page, pageSize }) {
      if (!isUuid(ticketId)) return boundedPage([], pageSize, 0);
      const where = { ticketId };
      const orderBy = [{ createdAt: 'asc' }, { id: 'asc' }] as const;
      const [rows, total] = await Promise.all([
        prisma.comment.findMany({
          where,
          orderBy: [...orderBy],
          skip: (page - 1) * pageSize,
          take: pageSize + 1,
        }),
        prisma.comment.count({ where, orderBy: [...orderBy], take: COUNT_CAP + 1 }),
      ]);
      return boundedPage(rows.map(toComment), pageSize, total);
    },

    async findById(ticketId, id) {
      if (!isUuid(ticketId) || !isUuid(id)) return null;
      // findFirst, not findUnique: the filter is the id AND the ticket the URL names.
      const row = await prisma.comment.findFirst({ where: { id, ticketId } });
      return row ? toComment(row) : null;
    },
  };
  return translateErrors(repository, describeDataError);
}
