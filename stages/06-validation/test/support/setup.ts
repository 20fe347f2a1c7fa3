import { truncateAllTables } from '@backend-path/shared/testing/database';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.ts';
import { ErrorEnvelopeSchema } from '../../src/http/envelope.schemas.ts';
import { API_ROUTES } from '../../src/openapi/openapi.routes.ts';
import { watchAnswers } from './contract.ts';
import {
  closeTestPool,
  forgetKeptTables,
  insertFixtures,
  tablesKeptBetweenTests,
  testPool,
} from './db-helpers.ts';
import { setFixturePasswords } from './fixture-passwords.ts';

const answers = watchAnswers({
  routes: API_ROUTES,
  catalogue: ERROR_CATALOGUE,
  errorEnvelope: ErrorEnvelopeSchema,
});

// Every test starts from the fixture accounts and users, and nothing else (in a file that asked
// to keep its tables, only the first: db-helpers.ts keepTablesBetweenTests).
let started = false;
beforeEach(async () => {
  answers.take();
  if (started && tablesKeptBetweenTests()) return;
  started = true;
  await truncateAllTables(testPool());
  await insertFixtures(testPool());
  await setFixturePasswords(testPool());
});

// Every JSON answer a test caused kept the published contract (test/support/contract.ts).
afterEach(() => {
  expect(answers.take(), 'answers that break the OpenAPI document').toEqual([]);
});

afterAll(async () => {
  // A worker runs many files, and this module's state may outlive this one.
  started = false;
  forgetKeptTables();
  await closeTestPool();
});
