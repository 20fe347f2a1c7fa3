import { fileURLToPath } from 'node:url';
import type { Comment } from '@backend-path/shared/domain/comments';
import type { Ticket } from '@backend-path/shared/domain/tickets';
import { FIXTURE_ACCOUNT_LIST, FIXTURE_USER_LIST } from '@backend-path/shared/seed/fixtures';
import { generateComments, generateTickets } from '@backend-path/shared/seed/generator';
import { loadConfig } from '../config.ts';
import { migrate } from './migrate.ts';
import { closePool, createPool, type DbPool } from './pool.ts';
import { withTransaction } from './transaction.ts';

// `pnpm db:seed`: the fixture accounts and users (fixed ids you can paste into curl) plus ~30
// tickets with comments. Same seed → same ids, and ON CONFLICT DO NOTHING skips rows that are
// already there, so running it twice changes nothing.
const SEED = 3;
const TICKET_WINDOW = { from: '2026-01-02T00:00:00Z', to: '2026-06-01T00:00:00Z' };

export function devSeedData(): { tickets: Ticket[]; comments: Comment[] } {
  const options = {
    seed: SEED,
    count: 30,
    accounts: FIXTURE_ACCOUNT_LIST,
    users: FIXTURE_USER_LIST,
    ...TICKET_WINDOW,
  };
  const tickets = [...generateTickets(options)];
  const comments = [
    ...generateComments({
      seed: SEED,
      tickets,
      users: FIXTURE_USER_LIST,
      perTicket: { min: 0, max: 4 },
    }),
  ];
  return { tickets, comments };
}

/** Returns how many rows were new in each table. */
export async function seedDevData(pool: DbPool): Promise<Record<string, number>> {
  const { tickets, comments } = devSeedData();
  return withTransaction(pool, async (client) => {
    const inserted = { accounts: 0, users: 0, tickets: 0, comments: 0 };
    for (const a of FIXTURE_ACCOUNT_LIST) {
      const result = await client.query(
        `INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [a.id, a.name, a.createdAt],
      );
      inserted.accounts += result.rowCount ?? 0;
    }
    for (const u of FIXTURE_USER_LIST) {
      const result = await client.query(
        `INSERT INTO users (id, account_id, email, name, role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [u.id, u.accountId, u.email, u.name, u.role, u.createdAt],
      );
      inserted.users += result.rowCount ?? 0;
    }
    for (const t of tickets) {
      const result = await client.query(
        `INSERT INTO tickets (id, account_id, created_by, assignee_id, subject, description,
           priority, status, created_at, updated_at, resolved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [
          t.id,
          t.accountId,
          t.createdBy,
          t.assigneeId,
          t.subject,
          t.description,
          t.priority,
          t.status,
          t.createdAt,
          t.updatedAt,
          t.resolvedAt,
        ],
      );
      inserted.tickets += result.rowCount ?? 0;
    }
    for (const c of comments) {
      const result = await client.query(
        `INSERT INTO comments (id, ticket_id, author_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [c.id, c.ticketId, c.authorId, c.body, c.createdAt],
      );
      inserted.comments += result.rowCount ?? 0;
    }
    return inserted;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { databaseUrl, nodeEnv } = loadConfig();
  // Fixture accounts and users, their ids public in this repository, are no data for a real
  // database: a seed run there by mistake (a pasted command, the wrong shell) stops here.
  if (nodeEnv === 'production') {
    console.error('db:seed refuses to run with NODE_ENV=production: it writes fixture data.');
    process.exit(1);
  }
  await migrate(databaseUrl);
  const pool = createPool(databaseUrl, { max: 1 });
  try {
    const inserted = await seedDevData(pool);
    console.log('Seeded (new rows):', inserted);
  } finally {
    await closePool(pool);
  }
}
