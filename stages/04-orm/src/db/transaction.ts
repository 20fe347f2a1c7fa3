import { isQueryTimeout } from './pg-errors.ts';
import type { DbClient, DbPool } from './pool.ts';

// LESSON: a transaction lives on ONE connection. `pool.query('BEGIN')` followed by
// `pool.query(...)` could run each statement on a different connection, so we check one client
// out, run every statement on it, and always give it back (node-postgres' transactions guide).
export async function withTransaction<T>(
  pool: DbPool,
  work: (client: DbClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A client whose ROLLBACK failed is in an unknown state: release(error) destroys it instead
  // of handing it to the next request mid-transaction.
  let broken: Error | undefined;
  // pg-pool listens for errors on idle clients only. A connection that dies while checked out
  // (a database restart, a terminated backend) emits 'error' on the client, and an 'error'
  // nobody listens to crashes the process. The failing query rejects too: that is where the
  // error is handled (→ 503); here we only remember that the client is broken.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error: unknown) {
    // pg stopped waiting for an answer (query_timeout, pool.ts): the connection may be dead, and
    // a ROLLBACK would wait just as long. Destroyed, it ends the transaction as surely.
    if (isQueryTimeout(error)) {
      broken = error;
      throw error;
    }
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError: unknown) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
