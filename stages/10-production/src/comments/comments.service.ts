import type { Comment } from '@backend-path/shared/domain/comments';
import type { User } from '@backend-path/shared/domain/users';
import { NotFoundError } from '../errors.ts';
import { canSee } from '../tickets/tickets.access.ts';
import type { TicketRepository } from '../tickets/tickets.repository.ts';
import type { CommentPage, CommentPageQuery, CommentRepository } from './comments.repository.pg.ts';

export interface CommentService {
  list(ticketId: string, page: CommentPageQuery, caller: User): Promise<CommentPage>;
  get(ticketId: string, commentId: string, caller: User): Promise<Comment>;
  add(ticketId: string, caller: User, body: string): Promise<Comment>;
}

export function createCommentService(
  tickets: TicketRepository,
  comments: CommentRepository,
): CommentService {
  // The ticket's visibility decides its comments': another account's is a 404 like a missing one.
  async function checkTicket(ticketId: string, caller: User): Promise<void> {
    const ticket = await tickets.findById(ticketId);
    if (!ticket || !canSee(caller, ticket)) {
      throw new NotFoundError(`Ticket ${ticketId} does not exist.`);
    }
  }

  return {
    async list(ticketId, page, caller) {
      // A missing ticket has no comments either, but `[]` would hide the 404 the client needs.
      await checkTicket(ticketId, caller);
      return comments.pageByTicket(ticketId, page);
    },

    async get(ticketId, commentId, caller) {
      await checkTicket(ticketId, caller);
      const comment = await comments.findById(ticketId, commentId);
      if (!comment) throw new NotFoundError(`Comment ${commentId} does not exist on this ticket.`);
      return comment;
    },

    // The visibility check reads the ticket; the foreign key still checks it in the INSERT
    // itself, so a ticket deleted in between cannot slip through. describeDbError turns the
    // violation of comments_ticket_id_fkey into 404 NOT_FOUND.
    async add(ticketId, caller, body) {
      await checkTicket(ticketId, caller);
      return comments.create({ ticketId, authorId: caller.id, body });
    },
  };
}
