import { createRequire } from 'node:module';
import { join } from 'node:path';
import { generateComments } from '@backend-path/shared/seed/generator';
import { type Client, findCaller } from './pg.ts';
import type { BenchStage } from './plan.ts';

// What a template holds beyond the lab's tickets: comments for `?include=comments` to return,
// and a password for the caller to log in with.

export const COMMENTED_TICKETS = 5_000; // the newest: they hold page 1 of every list, 2–8 comments each
const COMMENT_SEED = 42;
export const BENCH_PASSWORD = 'bench-password-not-a-secret';

/** Comments on the newest tickets, from the shared generator: same tickets, same comments. */
export async function addComments(client: Client): Promise<number> {
  const { rows: tickets } = await client.query(
    `SELECT id, account_id, created_by, assignee_id, created_at, updated_at FROM tickets
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    [COMMENTED_TICKETS],
  );
  const { rows: users } = await client.query('SELECT id, account_id, role FROM users ORDER BY id');
  const iso = (value: Date) => value.toISOString();
  const comments = [
    ...generateComments({
      seed: COMMENT_SEED,
      tickets: tickets.map((t) => ({
        id: t.id,
        accountId: t.account_id,
        createdBy: t.created_by,
        assigneeId: t.assignee_id,
        createdAt: iso(t.created_at),
        updatedAt: iso(t.updated_at),
        subject: '',
        description: '',
        priority: 'low' as const,
        status: 'open' as const,
        resolvedAt: null,
      })),
      users: users.map((u) => ({
        ...u,
        accountId: u.account_id,
        email: '',
        name: '',
        createdAt: '',
      })),
      perTicket: { min: 2, max: 8 },
    }),
  ];
  await client.query(
    `INSERT INTO comments (id, ticket_id, author_id, body, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[])`,
    [
      comments.map((c) => c.id),
      comments.map((c) => c.ticketId),
      comments.map((c) => c.authorId),
      comments.map((c) => c.body),
      comments.map((c) => c.createdAt),
    ],
  );
  return comments.length;
}

/** Where users have passwords (05 on), the caller gets one, hashed by the stage's own bcrypt. */
export async function setPassword(client: Client, stage: BenchStage, cost: number): Promise<void> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = 'users' AND column_name = 'password_hash'`,
  );
  if (!rowCount) return;
  const bcrypt = createRequire(join(stage.dir, 'package.json'))('bcrypt') as {
    hash(password: string, cost: number): Promise<string>;
  };
  const caller = await findCaller(client);
  await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [
    await bcrypt.hash(BENCH_PASSWORD, cost),
    caller.id,
  ]);
}
