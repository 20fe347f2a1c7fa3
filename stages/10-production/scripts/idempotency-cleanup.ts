import { loadConfig } from '../src/config.ts';
import { closePool, createPool } from '../src/db/pool.ts';
import { createPgIdempotencyStore } from '../src/idempotency/idempotency.repository.pg.ts';

// `pnpm idempotency:cleanup`: deletes the Idempotency-Keys past their 24 h once (a cron job, or by
// hand). The server does the same every hour; a read already ignores expired keys, so this only
// keeps the table small. test/idempotency/idempotency.test.ts proves what deleteExpired() deletes.
const { databaseUrl } = loadConfig();
const pool = createPool(databaseUrl, { max: 1 });
try {
  const deleted = await createPgIdempotencyStore(pool).deleteExpired();
  console.log(`Deleted ${deleted} expired idempotency key(s).`);
} finally {
  await closePool(pool);
}
