import { connectClient } from './postgres-admin.ts';

export interface HoldingALock<T> {
  /** The worker's database. */
  url: string;
  /** A statement that takes the lock the requests will need, e.g. `SELECT 1 FROM t WHERE id = $1 FOR UPDATE`. */
  lock: string;
  params: unknown[];
  /** How many sessions must be seen waiting for a lock before it is let go. */
  waiters: number;
  /** Sends the concurrent requests; its answer is returned. */
  send: () => Promise<T>;
  timeoutMs?: number;
}

/**
 * A race made certain: runs `send` while a connection of the test's own holds a lock the code
 * under test must take, and lets go only once `waiters` sessions of the database wait for a lock
 * (pg_stat_activity): every request has then read what it reads before its first write. If the
 * code takes no such lock, nobody waits: the requests finish on their own and their answers show
 * the race lost (that is what an exercise that removes the lock must see).
 */
export async function holdingALock<T>({
  url,
  lock,
  params,
  waiters,
  send,
  timeoutMs = 10_000,
}: HoldingALock<T>): Promise<T> {
  // Two connections of its own, none of the app's: one holds the lock, the other watches (a
  // transaction sees pg_stat_activity as it was at its first look).
  const holder = await connectClient(url, 5_000);
  const watcher = await connectClient(url, 5_000);
  try {
    await holder.query('BEGIN');
    await holder.query(lock, params);
    let settled = false;
    const sent = send().finally(() => {
      settled = true;
    });
    sent.catch(() => {}); // awaited below; a failure while we wait must not go unhandled
    const deadline = Date.now() + timeoutMs;
    for (let waiting = 0; waiting < waiters && !settled; ) {
      const { rows } = await watcher.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      waiting = rows[0]?.n ?? 0;
      if (Date.now() > deadline) throw new Error(`${waiting} of ${waiters} waited for the lock`);
      if (waiting < waiters) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await holder.query('COMMIT');
    return await sent;
  } finally {
    await holder.query('ROLLBACK').catch(() => {}); // a warning only, after COMMIT
    await holder.end().catch(() => {});
    await watcher.end().catch(() => {});
  }
}
