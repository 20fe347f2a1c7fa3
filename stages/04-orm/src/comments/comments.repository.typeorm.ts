import type { Comment } from '@backend-path/shared/domain/comments';
import { describeDataError } from '../db/orm-errors.ts';
import { translateErrors } from '../db/translate-errors.ts';
import { CommentEntity } from '../db/typeorm/comment.entity.ts';
import type { DataSource } from '../db/typeorm.ts';
import { isUuid } from '../tickets/tickets.ids.ts';
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

    async pageByTicket(ticketId, { page, pageSize }) {
      if (!isUuid(ticketId)) return { items: [], total: 0 };
      const [entities, total] = await comments.findAndCount({
        where: { ticketId },
        order: { createdAt: 'ASC', id: 'ASC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      });
      return { items: entities.map(toComment), total };
    },

    async findById(ticketId, id) {
      if (!isUuid(ticketId) || !isUuid(id)) return null;
      const entity = await comments.findOneBy({ id, ticketId });
      return entity ? toComment(entity) : null;
    },
  };
  return translateErrors(repository, describeDataError);
}
