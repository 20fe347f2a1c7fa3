import pg from 'pg';
import { probeServer } from '../src/testing/postgres-admin.ts';
import { connectTestRedis } from '../src/testing/redis.ts';

// CI must prove the real-server paths. A laptop without Postgres or Redis skips those tests, and
// says so once, rather than failing on what the learner never installed.
const REQUIRED = Boolean(process.env.CI);

export const REAL_POSTGRES_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function skipWithoutPostgres(): Promise<boolean> {
  const problem = await probeServer(REAL_POSTGRES_URL);
  if (problem === null || REQUIRED) return false;
  process.stderr.write(
    `[shared tests] skipping real-Postgres tests: ${problem} at ${REAL_POSTGRES_URL}\n`,
  );
  return true;
}

export async function skipWithoutRedis(): Promise<boolean> {
  try {
    const redis = await connectTestRedis({ stage: 'probe' });
    await redis.close();
    return false;
  } catch (error: unknown) {
    if (REQUIRED) return false;
    process.stderr.write(`[shared tests] skipping Redis tests: ${(error as Error).message}\n`);
    return true;
  }
}

/** One statement on a connection of its own, opened and closed around it: the rows. */
export async function sql<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
