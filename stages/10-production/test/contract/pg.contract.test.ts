import { createPgCredentialsRepository } from '../../src/auth/credentials.repository.pg.ts';
import { createPgCommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { activityOf, insertTicket, testPool } from '../support/db-helpers.ts';
import { describeTicketRepositoryContract } from '../tickets/tickets.repository.contract.ts';
import { describeCommentAndCredentialBehaviour } from './accounts.behaviour.contract.ts';
import { describeKeysetProperty } from './keyset.property.contract.ts';
import type { ContractSubject } from './subject.ts';

/** The production repositories on this worker's database (test/support/setup.ts empties it before each test). */
async function connect(): Promise<ContractSubject> {
  const pool = testPool();
  return {
    tickets: createPgTicketRepository(pool),
    comments: createPgCommentRepository(pool),
    credentials: createPgCredentialsRepository(pool),
    seedTicket: async (ticket) => {
      await insertTicket(pool, ticket);
    },
    seedComment: async (c) => {
      await pool.query(
        'INSERT INTO comments (id, ticket_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)',
        [c.id, c.ticketId, c.authorId, c.body, c.createdAt],
      );
    },
    activityOf,
  };
}

// testPool: the cases that look beneath the repositories (rows, statements, locks, the clock).
describeTicketRepositoryContract('pg', connect, testPool);
describeCommentAndCredentialBehaviour('pg', connect);
// Fewer runs on PostgreSQL: each seeds and pages through real rows.
describeKeysetProperty('pg', connect, 25);
