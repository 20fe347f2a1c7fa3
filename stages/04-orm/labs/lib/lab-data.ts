import type { Account } from '@backend-path/shared/domain/accounts';
import type { User } from '@backend-path/shared/domain/users';
import { generateDataset } from '@backend-path/shared/seed/generator';
import type { DbClient, DbPool } from '../../src/db/pool.ts';

// The people every lab's tickets belong to: 50 accounts × 20 users from the shared generator
// (seed 42), so one account holds ~2% of the tickets and its open ones ~0.08% — the
// selectivity where an index matters.
export const LAB_SEED = 42;

export function labDataset(tickets: number) {
  return generateDataset({ seed: LAB_SEED, accounts: 50, usersPerAccount: 20, tickets });
}

/** Accounts and users in two statements (arrays unnested server-side); idempotent. */
export async function insertPeople(
  pool: DbPool,
  people: { accounts: readonly Account[]; users: readonly User[] },
): Promise<void> {
  const { accounts, users } = people;
  await pool.query(
    `INSERT INTO accounts (id, name, created_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
    [accounts.map((a) => a.id), accounts.map((a) => a.name), accounts.map((a) => a.createdAt)],
  );
  await pool.query(
    `INSERT INTO users (id, account_id, email, name, role, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[],
       $6::timestamptz[]) ON CONFLICT DO NOTHING`,
    [
      users.map((u) => u.id),
      users.map((u) => u.accountId),
      users.map((u) => u.email),
      users.map((u) => u.name),
      users.map((u) => u.role),
      users.map((u) => u.createdAt),
    ],
  );
}

export interface ServerSideOptions {
  rows: number;
  /** Tickets are filed by these customers, in their own accounts. */
  customers: readonly User[];
  subjectLength: number;
  descriptionLength: number;
  /**
   * Subjects to cycle through (say, the shared generator's), for a search to find some words
   * rare and some common as in real data. Without them, every subject is hex, unlike any other.
   */
  subjects?: readonly string[];
}

// Tickets made by the server itself (no client, no network, no parsing): the upper bound for
// any loader. Same columns, same constraints and indexes, similar text sizes and the
// generator's status mix (4% open, 4% pending, 30% resolved, 62% closed).
const SERVER_SIDE_SQL = `
  INSERT INTO tickets (account_id, created_by, subject, description, priority, status,
                       created_at, updated_at, resolved_at)
  SELECT ($2::uuid[])[k], ($3::uuid[])[k],
         coalesce(($7::text[])[1 + g % cardinality($7::text[])],
                  left('Ticket ' || repeat(md5(g::text), 8), $4)),
         left(repeat(md5(g::text || 'd'), 1 + $5 / 32), $5),
         (ARRAY['low', 'medium', 'high', 'critical'])[1 + g % 4],
         status, created, coalesce(resolved, created), resolved
  FROM (
    SELECT g, k, status, created,
           CASE WHEN status IN ('resolved', 'closed') THEN created + interval '2 hours' END AS resolved
    FROM (
      SELECT g, 1 + floor(random() * cardinality($2::uuid[]))::int AS k,
             CASE WHEN r < 0.04 THEN 'open' WHEN r < 0.08 THEN 'pending'
                  WHEN r < 0.38 THEN 'resolved' ELSE 'closed' END AS status,
             timestamptz '2024-01-01T00:00:00Z' + g * $6::bigint * interval '1 millisecond' AS created
      FROM (SELECT g, random() AS r FROM generate_series(1, $1::int) AS g) AS numbered
    ) AS picked
  ) AS shaped`;

export async function insertTicketsServerSide(
  pool: DbPool | DbClient,
  options: ServerSideOptions,
): Promise<void> {
  const windowMs = Date.parse('2026-01-01T00:00:00Z') - Date.parse('2024-01-01T00:00:00Z');
  await pool.query(SERVER_SIDE_SQL, [
    options.rows,
    options.customers.map((u) => u.accountId),
    options.customers.map((u) => u.id),
    options.subjectLength,
    options.descriptionLength,
    Math.max(1, Math.floor(windowMs / Math.max(options.rows, 1))),
    options.subjects ?? null,
  ]);
}
