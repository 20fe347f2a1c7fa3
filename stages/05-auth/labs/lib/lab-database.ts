import { resolveDatabase } from '@backend-path/shared/testing/database';
import { migrate } from '../../src/db/migrate.ts';
import { closePool, createPool, type DbPool } from '../../src/db/pool.ts';

// Labs get their own database so 1M rows never land in your dev data: DATABASE_URL if you set
// it (then it is yours to lose), else `backend_path_lab` on the local server, else an embedded
// PGlite in .data/pglite/lab.
const LAB_DEFAULT_URL = 'postgres://postgres:postgres@localhost:5432/backend_path_lab';

export interface LabDatabase {
  url: string;
  kind: 'env' | 'local' | 'pglite';
  pool: DbPool;
  /** PGlite (Postgres in WebAssembly): no COPY FROM STDIN, one backend for every connection. */
  isPglite: boolean;
  version: string;
  close(): Promise<void>;
}

export async function openLabDatabase(): Promise<LabDatabase> {
  const db = await resolveDatabase({ name: 'lab', defaultUrl: LAB_DEFAULT_URL });
  await migrate(db.url);
  const pool = createPool(db.url, { max: 4, connectionTimeoutMillis: 10_000 });
  const { rows } = await pool.query<{ version: string }>('SELECT version()');
  const version = rows[0]?.version ?? '';
  return {
    url: db.url,
    kind: db.kind,
    pool,
    isPglite: /PGlite|emscripten/i.test(version),
    version: version.split(' on ')[0] ?? version,
    async close() {
      await closePool(pool);
      await db.close();
    },
  };
}
