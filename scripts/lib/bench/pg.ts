import { connectClient } from '@backend-path/shared/testing/postgres-admin';

// The few things the bench asks of PostgreSQL directly (every other query is a stage's own).

export type Client = Awaited<ReturnType<typeof connectClient>>;

export interface Caller {
  id: string;
  email: string;
  accountId: string;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(url, 10_000);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function recreate(adminUrl: string, name: string, template?: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    const version = Number((await c.query('SHOW server_version_num')).rows[0]?.server_version_num);
    const force = version >= 130_000 ? ' WITH (FORCE)' : '';
    await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)}${force}`);
    // FILE_COPY copies the files (≈ 0.7 s for 1M tickets here); the default WAL_LOG strategy
    // writes every block through the WAL (≈ 1.6 s).
    const from = template
      ? ` TEMPLATE ${c.escapeIdentifier(template)}${version >= 150_000 ? ' STRATEGY FILE_COPY' : ''}`
      : '';
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}${from}`);
  });
}

/** The caller of every request: the first admin (by e-mail) of the seeded accounts. */
export async function findCaller(client: Client): Promise<Caller> {
  const { rows } = await client.query<{ id: string; email: string; account_id: string }>(
    "SELECT id, email, account_id FROM users WHERE role = 'admin' ORDER BY email LIMIT 1",
  );
  const row = rows[0];
  if (!row) throw new Error('The bench database has no admin user: was it seeded?');
  return { id: row.id, email: row.email, accountId: row.account_id };
}
