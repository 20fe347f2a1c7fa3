import type { Account } from '@backend-path/shared/domain/accounts';
import type { User } from '@backend-path/shared/domain/users';
import { generateComments, generateTickets } from '@backend-path/shared/seed/generator';
import type { DbPool } from '../../src/db/pool.ts';
import { insertPeople } from './lab-data.ts';

// labs/n-plus-one.ts's data: an account of its own with `count` generated tickets and 2–8
// comments each, replaced on every run (same seed, same rows).
const CREATED = '2025-06-01T00:00:00.000Z';
export const account: Account = {
  id: '0a000000-0000-4000-8000-00000000a001',
  name: 'N+1 Lab',
  createdAt: CREATED,
};
const people: User[] = [
  {
    id: '0b000000-0000-4000-8000-00000000a001',
    accountId: account.id,
    email: 'customer@n-plus-one.test',
    name: 'Lab Customer',
    role: 'customer',
    createdAt: CREATED,
  },
  {
    id: '0b000000-0000-4000-8000-00000000a002',
    accountId: account.id,
    email: 'agent@n-plus-one.test',
    name: 'Lab Agent',
    role: 'agent',
    createdAt: CREATED,
  },
];

export async function resetLabTickets(pool: DbPool, count: number): Promise<number> {
  await insertPeople(pool, { accounts: [account], users: people });
  await pool.query('DELETE FROM tickets WHERE account_id = $1', [account.id]); // comments cascade
  const window = { from: '2025-06-02T00:00:00Z', to: '2025-12-01T00:00:00Z' };
  const tickets = [
    ...generateTickets({ seed: 7, count, accounts: [account], users: people, ...window }),
  ];
  const comments = [
    ...generateComments({ seed: 7, tickets, users: people, perTicket: { min: 2, max: 8 } }),
  ];
  const column = <T, K extends keyof T>(rows: T[], key: K) => rows.map((row) => row[key]);
  await pool.query(
    `INSERT INTO tickets (id, account_id, created_by, assignee_id, subject, description, priority,
       status, created_at, updated_at, resolved_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[],
       $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[])`,
    (
      [
        'id',
        'accountId',
        'createdBy',
        'assigneeId',
        'subject',
        'description',
        'priority',
        'status',
        'createdAt',
        'updatedAt',
        'resolvedAt',
      ] as const
    ).map((k) => column(tickets, k)),
  );
  await pool.query(
    `INSERT INTO comments (id, ticket_id, author_id, body, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[])`,
    (['id', 'ticketId', 'authorId', 'body', 'createdAt'] as const).map((k) => column(comments, k)),
  );
  return comments.length;
}
