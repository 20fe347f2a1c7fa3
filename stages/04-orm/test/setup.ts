import { truncateAllTables } from '@backend-path/shared/testing/database';
import { afterAll, beforeEach, inject } from 'vitest';
import { closeTestPool, insertFixtures } from './db-helpers.ts';

// Every test starts from the fixture accounts and users, and nothing else.
beforeEach(async () => {
  const url = inject('databaseUrl');
  await truncateAllTables(url);
  await insertFixtures(url);
});

afterAll(() => closeTestPool());
