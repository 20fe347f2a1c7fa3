import type { Comment } from '@backend-path/shared/domain/comments';
import type { User } from '@backend-path/shared/domain/users';
import { NotFoundError } from '../errors.ts';
import type { TicketRepository } from '../tickets/tickets.repository.ts';
import type { CommentPage, CommentPageQuery, CommentRepository } from './comments.repository.pg.ts';

export interface CommentService {
  list(ticketId: string, page: CommentPageQuery): Promise<CommentPage>;
  get(ticketId: string, commentId: string): Promise<Comment>;
  add(ticketId: string, caller: User, body: string): Promise<Comment>;
}

export function createCommentService(
  tickets: TicketRepository,
  comments: CommentRepository,
): CommentService {
  return {
    async list(ticketId, page) {
      // A missing ticket has no comments either, but `[]` would hide the 404 the client needs.
      if (!(await tickets.findById(ticketId))) {
        throw new NotFoundError(`Ticket ${ticketId} does not exist.`);
      }
      return comments.pageByTicket(ticketId, page);
    },

    async get(ticketId, commentId) {
      const comment = await comments.findById(ticketId, commentId);
      if (!comment) throw new NotFoundError(`Comment ${commentId} does not exist on this ticket.`);
      return comment;
    },

    // No "does the ticket exist?" query first: the foreign key checks it in the same statement,
    // so a ticket deleted in between cannot slip through. describeDbError turns the violation
    // of comments_ticket_id_fkey into 404 NOT_FOUND.
    async add(ticketId, caller, body) {
      return comments.create({ ticketId, authorId: caller.id, body });
    },
  };
}
