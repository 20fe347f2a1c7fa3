import type { DbClient, DbPool } from '../../src/db/pool.ts';
import { testPool } from '../db-helpers.ts';

/**
 * Wraps `pool` so that the first statement matching `pattern` (say the repository's
 * `SELECT … FOR UPDATE`) runs, and then its transaction PAUSES — the lock held — until the test
 * calls release(). `paused` resolves with the backend pid of the paused session (and rejects
 * if no such statement ran within 5 s, rather than hang the test).
 */
export function pauseAfter(pool: DbPool, pattern: RegExp) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let onPaused: (pid: number) => void = () => {};
  const paused = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no statement matched ${pattern}`)), 5000);
    onPaused = (pid) => {
      clearTimeout(timer);
      resolve(pid);
    };
  });
  let armed = true;
  const connect = pool.connect.bind(pool) as () => Promise<DbClient>;
  const wrapped = Object.create(pool) as DbPool;
  wrapped.connect = (async () => {
    const client = await connect();
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    client.query = (async (...args: unknown[]) => {
      const result = await query(...args);
      const text = typeof args[0] === 'string' ? args[0] : '';
      if (armed && pattern.test(text)) {
        armed = false;
        onPaused((client as unknown as { processID: number }).processID);
        await gate;
      }
      return result;
    }) as typeof client.query;
    return client;
  }) as DbPool['connect'];
  return { pool: wrapped, paused, release };
}

/**
 * The session that waits for a lock `holderPid` holds: its pid and what it waits on
 * (pg_stat_activity's wait_event_type, 'Lock' for a row or tuple lock). Polls PostgreSQL's own
 * view of the wait (pg_blocking_pids), so the test proceeds on a fact, not on a guess of how
 * long "long enough" is. The lock table shows the waiter a moment before the waiter's own row
 * says what it waits on (seen under load: wait_event_type still null), so both must be there.
 */
export async function sessionBlockedBy(
  holderPid: number,
): Promise<{ pid: number; waitEventType: string }> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { rows } = await testPool().query<{ pid: number; wait_event_type: string }>(
      `SELECT pid, wait_event_type FROM pg_stat_activity
       WHERE datname = current_database() AND $1 = ANY (pg_blocking_pids(pid))
         AND wait_event_type IS NOT NULL`,
      [holderPid],
    );
    if (rows[0]) return { pid: rows[0].pid, waitEventType: rows[0].wait_event_type };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no session ever waited for a lock held by ${holderPid}`);
}

/** Whether `promise` has settled yet (after letting pending callbacks run). */
export async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}
