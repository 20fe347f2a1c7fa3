import { truncateAllTables } from '@backend-path/shared/testing/database';
import { afterAll, beforeEach } from 'vitest';
import {
  closeTestPool,
  forgetKeptTables,
  insertFixtures,
  tablesKeptBetweenTests,
  testPool,
} from './db-helpers.ts';
import { setFixturePasswords } from './fixture-passwords.ts';

// Every test starts from the fixture accounts and users, and nothing else (in a file that asked
// to keep its tables, only the first: db-helpers.ts keepTablesBetweenTests).
let started = false;
beforeEach(async () => {
  if (started && tablesKeptBetweenTests()) return;
  started = true;
  await truncateAllTables(testPool());
  await insertFixtures(testPool());
  await setFixturePasswords(testPool());
});

afterAll(async () => {
  // A worker runs many files, and this module's state may outlive this one.
  started = false;
  forgetKeptTables();
  await closeTestPool();
});
