import { vi } from 'vitest';
import type { DbClient, DbPool } from '../../src/db/pool.ts';
import { testPool } from './db-helpers.ts';

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
 * long "long enough" is. Then it reads what the waiter waits on in a statement of its own:
 * pg_stat_activity is a snapshot taken when a statement first reads it, and pg_blocking_pids
 * runs live, a moment later — in one statement, the snapshot can show the waiter still reading
 * its query from the client (seen under load: 'Client'). And the lock table shows the waiter a
 * moment before its row says what it waits on (null), so that read waits for a value.
 */
export async function sessionBlockedBy(
  holderPid: number,
): Promise<{ pid: number; waitEventType: string }> {
  // Asked every 10 ms, for 3 s at most; past that, the last error below is the failure.
  const often = { interval: 10, timeout: 3_000 };
  const pid = await vi.waitFor(async () => {
    const { rows } = await testPool().query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND $1 = ANY (pg_blocking_pids(pid))`,
      [holderPid],
    );
    if (!rows[0]) throw new Error(`no session waits for a lock held by ${holderPid}`);
    return rows[0].pid;
  }, often);
  const waitEventType = await vi.waitFor(async () => {
    const { rows } = await testPool().query<{ wait_event_type: string | null }>(
      'SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1',
      [pid],
    );
    if (!rows[0]?.wait_event_type) throw new Error(`session ${pid} does not say what it waits on`);
    return rows[0].wait_event_type;
  }, often);
  return { pid, waitEventType };
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
