import { randomUUID } from 'node:crypto';
import type { Comment } from '@backend-path/shared/domain/comments';
import type { CommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { NotFoundError } from '../../src/errors.ts';
import { boundedPage } from '../../src/tickets/tickets.search.ts';
import { type FakeStore, missingReference, oldestFirst, stamp } from './store.ts';

/** The comments of one ticket, oldest first. */
export function commentsOf(store: FakeStore, ticketId: string): Comment[] {
  return [...store.comments.values()]
    .filter((comment) => comment.ticketId === ticketId)
    .sort(oldestFirst)
    .map((comment) => ({ ...comment }));
}

// Behaves as createPgCommentRepository does, down to its errors: test/contract/ runs one suite
// against both. Ids of any shape are fine here; the pg one answers "nothing" for a non-UUID,
// and so does this one, since no stored id has that shape.
export function createFakeCommentRepository(store: FakeStore): CommentRepository {
  return {
    async create({ ticketId, authorId, body }) {
      // comments_ticket_id_fkey → 404 (the ticket is the URL's resource); author → 422.
      if (!store.tickets.has(ticketId)) throw new NotFoundError('Ticket not found.');
      if (!store.users.has(authorId)) throw missingReference('authorId');
      const comment: Comment = {
        id: randomUUID(),
        ticketId,
        authorId,
        body,
        createdAt: stamp(store),
      };
      store.comments.set(comment.id, comment);
      return { ...comment };
    },
    async listByTicket(ticketId) {
      return commentsOf(store, ticketId);
    },
    async pageByTicket(ticketId, { page, pageSize }) {
      const all = commentsOf(store, ticketId);
      const start = (page - 1) * pageSize;
      return boundedPage(all.slice(start, start + pageSize + 1), pageSize, all.length);
    },
    async findById(ticketId, id) {
      const comment = store.comments.get(id);
      return comment && comment.ticketId === ticketId ? { ...comment } : null;
    },
  };
}
