import type { Comment } from '@backend-path/shared/domain/comments';
import { describeDataError } from '../db/orm-errors.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { CommentEntity } from '../db/typeorm/comment.entity.ts';
import { countUpTo, type DataSource } from '../db/typeorm.ts';
import { isUuid } from '../tickets/tickets.ids.ts';
import { boundedPage, COUNT_CAP } from '../tickets/tickets.search.ts';
import type { CommentRepository } from './comments.repository.pg.ts';

export function toComment(entity: CommentEntity): Comment {
  const { id, ticketId, authorId, body } = entity;
  return { id, ticketId, authorId, body, createdAt: entity.createdAt.toISOString() };
}

export function createTypeormCommentRepository(dataSource: DataSource): CommentRepository {
  const comments = dataSource.getRepository(CommentEntity);
  const repository: CommentRepository = {
    // An unknown ticket: QueryFailedError on comments_ticket_id_fkey → 404 (describeDataError).
    async create({ ticketId, authorId, body }) {
      return toComment(await comments.save(comments.create({ ticketId, authorId, body })));
    },

    async listByTicket(ticketId) {
      if (!isUuid(ticketId)) return [];
      const entities = await comments.find({
        where: { ticketId },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      return entities.map(toComment);
    },

    // As the pg repository: one row more than the page, a count that stops at COUNT_CAP + 1.
    async pageByTicket(ticketId, { page, pageSize }) {
      if (!isUuid(ticketId)) return boundedPage([], pageSize, 0);
      const options = { where: { ticketId }, order: { createdAt: 'ASC', id: 'ASC' } } as const;
      const [entities, total] = await Promise.all([
        comments.find({ ...options, skip: (page - 1) * pageSize, take: pageSize + 1 }),
        countUpTo(comments, options, COUNT_CAP + 1),
      ]);
      return boundedPage(entities.map(toComment), pageSize, total);
    },

    async findById(ticketId, id) {
      if (!isUuid(ticketId) || !isUuid(id)) return null;
      const entity = await comments.findOneBy({ id, ticketId });
      return entity ? toComment(entity) : null;
    },
  };
  return translateErrors(repository, describeDataError);
}
