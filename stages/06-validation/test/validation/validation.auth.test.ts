import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { authAs, buildApp, CALLER } from '../support/helpers.ts';
import { expectClientError, LONE_SURROGATE_JSON, rowCounts } from './validation.helpers.ts';

const SIGN_UP =
  '"email": "a@initech.test", "password": "a long passphrase", "accountName": "Initech"';

describe('POST /api/v1/auth/register: bad input', () => {
  // it.each fills %-slots with a case's values in order: %c takes the raw text and prints nothing
  it.each<[string, string, number, string, string[]?]>([
    ['malformed JSON', '{"email"', 400, 'MALFORMED_JSON'],
    ['a string', '"me"', 400, 'INVALID_BODY'],
    ['null', 'null', 400, 'INVALID_BODY'],
    ['an array', '[]', 400, 'INVALID_BODY'],
    [
      'an empty object',
      '{}',
      422,
      'VALIDATION_FAILED',
      ['accountName', 'email', 'name', 'password'],
    ],
    [
      'a role (mass assignment)',
      `{${SIGN_UP}, "name": "P", "role": "admin"}`,
      422,
      'VALIDATION_FAILED',
      ['role'],
    ],
    [
      'an accountId (mass assignment)',
      `{${SIGN_UP}, "name": "P", "accountId": "0a000000-0000-4000-8000-000000000001"}`,
      422,
      'VALIDATION_FAILED',
      ['accountId'],
    ],
    [
      'a __proto__ key',
      `{${SIGN_UP}, "name": "P", "__proto__": {"role": "admin"}}`,
      422,
      'VALIDATION_FAILED',
      ['__proto__'],
    ],
    [
      'a constructor key',
      `{${SIGN_UP}, "name": "P", "constructor": {}}`,
      422,
      'VALIDATION_FAILED',
      ['constructor'],
    ],
    [
      'a prototype key',
      `{${SIGN_UP}, "name": "P", "prototype": {}}`,
      422,
      'VALIDATION_FAILED',
      ['prototype'],
    ],
    ['a number as name', `{${SIGN_UP}, "name": 5}`, 422, 'VALIDATION_FAILED', ['name']],
    [
      'an overlong name',
      `{${SIGN_UP}, "name": "${'n'.repeat(201)}"}`,
      422,
      'VALIDATION_FAILED',
      ['name'],
    ],
    ['U+0000 in the name', `{${SIGN_UP}, "name": "P\\u0000"}`, 422, 'VALIDATION_FAILED', ['name']],
    [
      'a lone surrogate in the name',
      LONE_SURROGATE_JSON('name', `, ${SIGN_UP}`),
      422,
      'VALIDATION_FAILED',
      ['name'],
    ],
    [
      'a lone surrogate in the password',
      `{"email": "a@initech.test", "password": "long enough \\udc00", "name": "P", "accountName": "I"}`,
      422,
      'VALIDATION_FAILED',
      ['password'],
    ],
  ])(
    'When the body is %s%c, then %i %s and no account or user is written',
    async (_name, raw, status, code, fields) => {
      const { app } = buildApp();
      const before = await rowCounts();

      const res = await supertest(app)
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send(raw);

      expectClientError(res, status, code);
      if (fields) expect(Object.keys(res.body.error.fields).sort()).toEqual(fields);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('When the name is at its limit, then 201', async () => {
    const { app } = buildApp();

    const res = await supertest(app)
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send(`{${SIGN_UP}, "name": "${'n'.repeat(200)}"}`);

    expect(res.status).toBe(201);
  });
});

describe('POST /api/v1/auth/login: bad input', () => {
  it.each<[string, string, number, string, string[]?]>([
    ['malformed JSON', '{', 400, 'MALFORMED_JSON'],
    ['an array', '[]', 400, 'INVALID_BODY'],
    ['numbers', '{"email": 1, "password": 2}', 422, 'VALIDATION_FAILED', ['email', 'password']],
    [
      'a __proto__ key',
      '{"email": "a@b.c", "password": "x", "__proto__": {}}',
      422,
      'VALIDATION_FAILED',
      ['__proto__'],
    ],
  ])('When the body is %s%c, then %i %s', async (_name, raw, status, code, fields) => {
    const { app } = buildApp();

    const res = await supertest(app)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(raw);

    expectClientError(res, status, code);
    if (fields) expect(Object.keys(res.body.error.fields).sort()).toEqual(fields);
  });
});

describe('POST /api/v1/users and GET /api/v1/users/:id: bad input', () => {
  it.each<[string, string, string[]]>([
    [
      'an admin role',
      '{"email": "x@acme.test", "password": "long enough", "name": "X", "role": "admin"}',
      ['role'],
    ],
    [
      'an accountId',
      '{"email": "x@acme.test", "password": "long enough", "name": "X", "role": "agent", "accountId": "0a000000-0000-4000-8000-000000000002"}',
      ['accountId'],
    ],
    [
      'a __proto__ key',
      '{"email": "x@acme.test", "password": "long enough", "name": "X", "role": "agent", "__proto__": {}}',
      ['__proto__'],
    ],
  ])(
    'When the body has %s, then 422 naming it and no user is written',
    async (_name, raw, fields) => {
      const { app } = buildApp();
      const before = await rowCounts();

      const res = await supertest(app)
        .post('/api/v1/users')
        .set(authAs(CALLER))
        .set('Content-Type', 'application/json')
        .send(raw);

      expectClientError(res, 422, 'VALIDATION_FAILED');
      expect(Object.keys(res.body.error.fields)).toEqual(fields);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('When the user id is not a uuid, then 400 INVALID_ID', async () => {
    const { app } = buildApp();

    const res = await supertest(app).get('/api/v1/users/carol').set(authAs(CALLER));

    expectClientError(res, 400, 'INVALID_ID');
  });
});
