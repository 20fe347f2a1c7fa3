import { setupStageTestDatabase } from '@backend-path/shared/testing/database';
import type { TestProject } from 'vitest/node';
import { migrate } from '../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// Once per run: this stage's own database (backend_path_test_05-auth on a real server, its
// own PGlite otherwise), migrated with the same SQL files `pnpm db:migrate` applies.
export default async function setup(project: TestProject) {
  const db = await setupStageTestDatabase({
    stage: '05-auth',
    migrate: async (url) => {
      await migrate(url);
    },
  });
  project.provide('databaseUrl', db.url);
  return () => db.close();
}
