import { truncateAllTables } from '@backend-path/shared/testing/database';
import { afterAll, beforeEach } from 'vitest';
import { redisReady } from '../src/db/redis.ts';
import { closeTestPool, insertFixtures, testPool } from './db-helpers.ts';
import { setFixturePasswords } from './fixture-passwords.ts';
import { closeTestRedis, nextTestKeyPrefix, testRedis } from './redis-helpers.ts';

// Every test starts from the fixture accounts and users, and nothing else.
beforeEach(async () => {
  await truncateAllTables(testPool());
  await insertFixtures(testPool());
  await setFixturePasswords(testPool());
  // Fresh keys for each test (nothing cached, no request counted yet), on a connected client.
  nextTestKeyPrefix();
  await redisReady(testRedis());
});

afterAll(() => Promise.all([closeTestPool(), closeTestRedis()]));
