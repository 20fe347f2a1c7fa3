import { truncateAllTables } from '@backend-path/shared/testing/database';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  closeTestPool,
  forgetKeptTables,
  insertFixtures,
  tablesKeptBetweenTests,
  testPool,
} from './db-helpers.ts';
import { closeTestDataLayer, openTestDataLayer } from './helpers.ts';

// The repositories the HTTP tests' app runs on: this vitest project's DATA_LAYER (helpers.ts).
beforeAll(() => openTestDataLayer());

// Every test starts from the fixture accounts and users, and nothing else (in a file that asked
// to keep its tables, only the first: db-helpers.ts keepTablesBetweenTests).
let started = false;
beforeEach(async () => {
  if (started && tablesKeptBetweenTests()) return;
  started = true;
  await truncateAllTables(testPool());
  await insertFixtures(testPool());
});

afterAll(async () => {
  // A worker runs many files, and this module's state may outlive this one.
  started = false;
  forgetKeptTables();
  await closeTestDataLayer();
  await closeTestPool();
});
