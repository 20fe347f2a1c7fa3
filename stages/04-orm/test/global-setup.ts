import { setupStageTestDatabase } from '@backend-path/shared/testing/database';
import type { TestProject } from 'vitest/node';
import type { DataLayer } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { ensurePrismaClient } from '../src/db/prisma-generate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    /** Which repositories the HTTP tests build the app with (vitest.config.ts's projects). */
    dataLayer: DataLayer;
  }
}

// Once per run: this stage's own database (backend_path_test_04-orm on a real server, its
// own PGlite otherwise), migrated with the same SQL files `pnpm db:migrate` applies.
export default async function setup(project: TestProject) {
  // The generated Prisma client is git-ignored: make sure it exists and matches the schema
  // (a no-op when pnpm install's postinstall already generated it).
  ensurePrismaClient({ quiet: true });
  const db = await setupStageTestDatabase({
    stage: '04-orm',
    migrate: async (url) => {
      await migrate(url);
    },
  });
  project.provide('databaseUrl', db.url);
  return () => db.close();
}
