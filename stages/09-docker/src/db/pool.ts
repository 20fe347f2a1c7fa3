import pg from 'pg';

// The one place that knows which driver we use. Repositories import these types, not `pg`.
export type DbPool = pg.Pool;
export type DbClient = pg.PoolClient;

export interface PoolOptions {
  /** Connections this process may hold (see DATABASE_POOL_MAX in .env.example). */
  max?: number;
  connectionTimeoutMillis?: number;
  /** Longest one statement may run (DATABASE_STATEMENT_TIMEOUT_MS); 0 means no limit. */
  statementTimeoutMillis?: number;
  /** Longest a statement may wait for a lock, e.g. a row another transaction holds (DATABASE_LOCK_TIMEOUT_MS). */
  lockTimeoutMillis?: number;
  /** Where to report errors of idle connections; console.error unless the app passes its logger. */
  onIdleError?: (error: Error) => void;
}

/** How long after statement_timeout pg stops waiting for an answer on its own. */
export const QUERY_TIMEOUT_MARGIN_MS = 1_000;

export function createPool(url: string, options: PoolOptions = {}): DbPool {
  const pool = new pg.Pool({
    connectionString: url,
    // PostgreSQL allows 100 connections in all; each holds a backend process (~10 MB). Ten
    // per API process leaves room for several instances, migrations and a psql session.
    max: options.max ?? 10,
    // LESSON: without a timeout, a request waiting for a dead database waits for the OS TCP
    // timeout (minutes). Two seconds, then an error the error handler turns into a 503.
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 2000,
    // LESSON: the other waits, bounded too. pg sends these as startup parameters, so every
    // pooled connection has them before its first query. A request stuck behind another
    // transaction's row lock gets 55P03 after lock_timeout (→ 503 + Retry-After) instead of
    // holding its connection, and its client, for as long as the other transaction lasts.
    // The API's values come from config.ts (5 s / 2 s); left out, PostgreSQL's own (none) hold,
    // which is what a lab loading a million rows wants.
    statement_timeout: options.statementTimeoutMillis,
    lock_timeout: options.lockTimeoutMillis,
    // statement_timeout is PostgreSQL's clock, though, and it only helps while PostgreSQL's answer
    // can reach us. A connection that died without a word (a host gone, a failover, a NAT entry
    // dropped) answers nothing, and the request would wait until the kernel gives up on the
    // socket: many minutes. query_timeout is our own clock, set just past the server's so the
    // server's error (57014 → 503) still comes first whenever it can; past it, pg gives up
    // (→ 503) and the pool drops that connection. Keepalive probes find a dead peer of an idle
    // connection, before a request borrows it.
    query_timeout: options.statementTimeoutMillis
      ? options.statementTimeoutMillis + QUERY_TIMEOUT_MARGIN_MS
      : undefined,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Idle connections are closed after 30 s so a quiet API gives them back to the server.
    idleTimeoutMillis: 30_000,
  });
  // An idle connection can die (database restart, network blip). pg emits 'error' on the pool,
  // and an unhandled 'error' event would crash the process: log it, the pool replaces the client.
  pool.on('error', (error) => {
    (options.onIdleError ?? ((e: Error) => console.error('[db] idle client error:', e.message)))(
      error,
    );
  });
  return pool;
}

/** Waits for checked-out clients to be released, then closes every connection. */
export async function closePool(pool: DbPool): Promise<void> {
  await pool.end();
}
