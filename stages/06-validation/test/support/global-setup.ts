import { basename, dirname } from 'node:path';
import {
  setupStageTestDatabase,
  type TestDatabaseTemplate,
} from '@backend-path/shared/testing/database';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template each worker copies into its own database (db-helpers.ts). */
    testDatabase: TestDatabaseTemplate;
  }
}

// Once per run: a template database for this stage and run, migrated with the same SQL files
// `pnpm db:migrate` applies. Each worker copies it into a database of its own (db-helpers.ts),
// and the run's databases are dropped at the end.
export default async function setup(project: TestProject) {
  const db = await setupStageTestDatabase({
    // The stage's folder name (03-postgres…): a copied stage never shares its databases' names.
    stage: basename(dirname(dirname(import.meta.dirname))),
    migrate: async (url) => {
      await migrate(url);
    },
  });
  project.provide('testDatabase', db.template);
  return () => db.close();
}
