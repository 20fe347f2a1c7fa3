import { describeDbError } from '../db/pg-errors.ts';
import type { DbClient, DbPool } from '../db/pool.ts';
import { translateErrors } from '../db/translate-errors.ts';

/** The answer a keyed request gave, replayed byte for byte to every retry with the same key. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface KeyRecord {
  fingerprint: string;
  /** null while the first request with this key is still running. */
  response: StoredResponse | null;
}

export interface IdempotencyStore {
  /** true: this request owns the key now (new, expired, or abandoned by a dead process). */
  claim(callerId: string, key: string, fingerprint: string): Promise<boolean>;
  find(callerId: string, key: string): Promise<KeyRecord | null>;
  complete(callerId: string, key: string, response: StoredResponse): Promise<void>;
  /**
   * The same, on the connection of the transaction that creates the resource, before its COMMIT:
   * the resource and its answer are stored together or not at all (idempotency.middleware.ts).
   */
  completeWithin(
    client: DbClient,
    callerId: string,
    key: string,
    response: StoredResponse,
  ): Promise<void>;
  /** Gives the key up (the request failed with a 5xx): a retry may run it anew. */
  release(callerId: string, key: string): Promise<void>;
  /** Deletes keys past their 24 h; returns how many. */
  deleteExpired(): Promise<number>;
}

/** The IETF draft suggests 24 hours: long enough for any client's retries. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** A claim with no answer after this long belongs to a process that died mid-request. */
export const IDEMPOTENCY_LOCK_SECONDS = 60;

async function storeResponse(
  db: DbPool | DbClient,
  callerId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys
     SET response_status = $3, response_headers = $4, response_body = $5
     WHERE caller_id = $1 AND key = $2`,
    [callerId, key, response.status, JSON.stringify(response.headers), response.body],
  );
}

export function createPgIdempotencyStore(pool: DbPool): IdempotencyStore {
  // Like every repository: a pool that lends no connection in time, or a lock timeout, is a 503
  // with Retry-After by the time it leaves here, never a 500 from the error handler.
  return translateErrors<IdempotencyStore>(
    {
      async claim(callerId, key, fingerprint) {
        // LESSON: the claim is ONE statement, so PostgreSQL decides who wins: of 50 concurrent
        // INSERTs on one primary key, one inserts; the others wait for it to commit, then find
        // the row and take it over only when it has expired (or its owner died, same request).
        const { rowCount } = await pool.query(
          `INSERT INTO idempotency_keys (caller_id, key, fingerprint, locked_until, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5))
         ON CONFLICT (caller_id, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, response_status = NULL,
               response_headers = NULL, response_body = NULL, created_at = now(),
               locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at
           WHERE idempotency_keys.expires_at <= now()
              OR (idempotency_keys.response_status IS NULL
                  AND idempotency_keys.locked_until <= now()
                  AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)`,
          [callerId, key, fingerprint, IDEMPOTENCY_LOCK_SECONDS, IDEMPOTENCY_TTL_SECONDS],
        );
        return rowCount === 1;
      },

      async find(callerId, key) {
        const { rows } = await pool.query(
          `SELECT fingerprint, response_status, response_headers, response_body
         FROM idempotency_keys WHERE caller_id = $1 AND key = $2 AND expires_at > now()`,
          [callerId, key],
        );
        const row = rows[0];
        if (!row) return null;
        const response =
          row.response_status === null
            ? null
            : {
                status: row.response_status,
                headers: row.response_headers,
                body: row.response_body,
              };
        return { fingerprint: row.fingerprint, response };
      },

      async complete(callerId, key, response) {
        await storeResponse(pool, callerId, key, response);
      },

      async completeWithin(client, callerId, key, response) {
        await storeResponse(client, callerId, key, response);
      },

      async release(callerId, key) {
        await pool.query(
          'DELETE FROM idempotency_keys WHERE caller_id = $1 AND key = $2 AND response_status IS NULL',
          [callerId, key],
        );
      },

      async deleteExpired() {
        const { rowCount } = await pool.query(
          'DELETE FROM idempotency_keys WHERE expires_at <= now()',
        );
        return rowCount ?? 0;
      },
    },
    describeDbError,
  );
}
