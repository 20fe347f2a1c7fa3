import { afterEach, describe, expect, it } from 'vitest';
import { closePool, createPool, type DbPool } from '../../src/db/pool.ts';
import { withTransaction } from '../../src/db/transaction.ts';
import { isPglite, testDatabaseUrl, testPool } from '../support/db-helpers.ts';

// Coverage found this branch: no test had ever reached withTransaction's "ROLLBACK failed too"
// path (src/db/transaction.ts, 0 % of its branches). The connection dies mid-transaction, for
// real: another session terminates its backend. Writing the test found a crash: the dying
// client's 'error' event had no listener (pg-pool listens only while a client is idle), which
// in the server is an uncaught exception that ends the process.
describe('withTransaction when the connection dies mid-transaction', () => {
  let pool: DbPool | undefined;
  afterEach(() => pool && closePool(pool));

  it('When the work and the ROLLBACK both fail, then the work’s error is thrown and the broken client is destroyed, not reused', async (context) => {
    if (await isPglite()) context.skip(); // one backend for all: terminating it ends every test
    pool = createPool(testDatabaseUrl(), { max: 1, onIdleError: () => {} });
    let pid = 0;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);

    const failure = await withTransaction(pool, async (client) => {
      pid = (client as unknown as { processID: number }).processID;
      await testPool().query('SELECT pg_terminate_backend($1)', [pid]);
      return client.query('SELECT 1');
    })
      .catch((error: unknown) => error)
      .finally(() => process.removeListener('uncaughtException', onUncaught));

    expect(uncaught, 'the process would have crashed').toEqual([]);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/terminat|Connection/i);
    expect(pool.totalCount).toBe(0); // release(error) removed it from the pool
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(rows[0]?.pid).not.toBe(pid); // a new connection, not the dead one
  });
});
