import type { Activity } from '@backend-path/shared/domain/activity';
import type { Comment } from '@backend-path/shared/domain/comments';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import { expect } from 'vitest';
import type { CredentialsRepository } from '../../src/auth/credentials.repository.pg.ts';
import type { CommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { AppError } from '../../src/errors.ts';
import type { SearchableTicketRepository } from '../../src/tickets/tickets.search.ts';

/**
 * One implementation of the data layer under the contract suites, fresh for each test and
 * holding the fixture accounts and users only. Acts go through the repositories; `seed*`
 * arrange rows exactly (timestamps included) and `activityOf` reads the audit trail, each the
 * implementation's own way (SQL for pg, the store for the fakes).
 */
export interface ContractSubject {
  tickets: SearchableTicketRepository;
  comments: CommentRepository;
  credentials: CredentialsRepository;
  seedTicket(ticket: Ticket): Promise<void>;
  seedComment(comment: Comment): Promise<void>;
  activityOf(ticketId: string): Promise<Activity[]>;
}

export const MISSING_ID = '0c000000-0000-4000-8000-00000000dead';

/** The rejection, which must be an AppError: that is what the service above may rely on. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** A ticket a repository returned; fails the test on null or a refusal. */
export function ticketOf(result: Ticket | { refused: string } | null): Ticket {
  if (result === null || 'refused' in result) {
    throw new Error(`expected a ticket, got ${JSON.stringify(result)}`);
  }
  return result;
}

/** An ISO timestamp `minutes` before now (before the database's "now" too). */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}
