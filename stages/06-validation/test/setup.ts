import { truncateAllTables } from '@backend-path/shared/testing/database';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { ERROR_CATALOGUE } from '../src/errors.ts';
import { ErrorEnvelopeSchema } from '../src/http/envelope.schemas.ts';
import { API_ROUTES } from '../src/openapi/openapi.routes.ts';
import { watchAnswers } from './contract.ts';
import { closeTestPool, insertFixtures, testPool } from './db-helpers.ts';
import { setFixturePasswords } from './fixture-passwords.ts';

const answers = watchAnswers({
  routes: API_ROUTES,
  catalogue: ERROR_CATALOGUE,
  errorEnvelope: ErrorEnvelopeSchema,
});

// Every test starts from the fixture accounts and users, and nothing else.
beforeEach(async () => {
  answers.take();
  await truncateAllTables(testPool());
  await insertFixtures(testPool());
  await setFixturePasswords(testPool());
});

// Every JSON answer a test caused kept the published contract (test/contract.ts).
afterEach(() => {
  expect(answers.take(), 'answers that break the OpenAPI document').toEqual([]);
});

afterAll(() => closeTestPool());
