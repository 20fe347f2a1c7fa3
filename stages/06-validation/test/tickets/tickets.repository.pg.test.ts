import { createPgCommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { closePool, createPool } from '../../src/db/pool.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { describeTicketRepositoryContract } from './tickets.repository.contract.ts';

describeTicketRepositoryContract('pg', async (url) => {
  const pool = createPool(url);
  return {
    tickets: createPgTicketRepository(pool),
    comments: createPgCommentRepository(pool),
    createUser: (user) =>
      pool.query(
        'INSERT INTO users (id, account_id, email, name, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [user.id, user.accountId, user.email, user.name, user.role, user.createdAt],
      ),
    close: () => closePool(pool),
  };
});
