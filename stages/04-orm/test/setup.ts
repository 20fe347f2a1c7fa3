import { truncateAllTables } from '@backend-path/shared/testing/database';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { closeTestPool, insertFixtures, testPool } from './db-helpers.ts';
import { closeTestDataLayer, openTestDataLayer } from './helpers.ts';

// The repositories the HTTP tests' app runs on: this vitest project's DATA_LAYER (helpers.ts).
beforeAll(() => openTestDataLayer());

// Every test starts from the fixture accounts and users, and nothing else.
beforeEach(async () => {
  await truncateAllTables(testPool());
  await insertFixtures(testPool());
});

afterAll(async () => {
  await closeTestDataLayer();
  await closeTestPool();
});
