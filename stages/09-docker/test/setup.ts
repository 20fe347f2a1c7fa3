import { truncateAllTables } from '@backend-path/shared/testing/database';
import { afterAll, beforeEach } from 'vitest';
import { closeTestPool, insertFixtures, testPool } from './db-helpers.ts';
import { setFixturePasswords } from './fixture-passwords.ts';

// Every test starts from the fixture accounts and users, and nothing else.
beforeEach(async () => {
  await truncateAllTables(testPool());
  await insertFixtures(testPool());
  await setFixturePasswords(testPool());
});

afterAll(() => closeTestPool());
