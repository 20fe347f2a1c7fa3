import { randomUUID } from 'node:crypto';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import jwt from 'jsonwebtoken';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { testPool } from '../support/db-helpers.ts';
import { buildApp, TEST_JWT_SECRET, TEST_TOKEN_SETTINGS, tokenFor } from '../support/helpers.ts';

const { bob } = FIXTURE_USERS;
const { issuer, audience } = TEST_TOKEN_SETTINGS;
const MESSAGE =
  'Send a valid access token: Authorization: Bearer <token> (POST /api/v1/auth/login).';
const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token as the API would sign it for bob, with one thing changed. */
function signFor(
  overrides: { claims?: object; options?: jwt.SignOptions; secret?: string } = {},
): string {
  return jwt.sign(
    { role: bob.role, accountId: bob.accountId, ver: 0, ...overrides.claims },
    overrides.secret ?? TEST_JWT_SECRET,
    { algorithm: 'HS256', subject: bob.id, issuer, audience, expiresIn: 60, ...overrides.options },
  );
}

async function callMe(authorization?: string) {
  const req = supertest(buildApp().app).get('/api/v1/me');
  return authorization === undefined ? req : req.set('Authorization', authorization);
}

/** Every failure looks the same: 401, one message, and the RFC 6750 challenge. */
function expectRejected(res: supertest.Response, challenge: string) {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe(challenge);
  expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: MESSAGE } });
}
const INVALID = 'Bearer error="invalid_token"';

describe('authenticate (GET /api/v1/me)', () => {
  it('When the token is valid, then 200 as its user', async () => {
    const res = await callMe(`Bearer ${signFor()}`);

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(bob);
  });

  it('When there is no Authorization header, then 401 with a bare Bearer challenge', async () => {
    expectRejected(await callMe(), 'Bearer');
  });

  it('When another scheme is used (Basic), then 401 with a bare Bearer challenge', async () => {
    const basic = Buffer.from(`${bob.email}:password`).toString('base64');

    expectRejected(await callMe(`Basic ${basic}`), 'Bearer');
  });

  it('When the token is malformed, then 401 invalid_token', async () => {
    expectRejected(await callMe('Bearer not.a-jwt'), INVALID);
  });

  it('When the token says alg "none" (no signature), then 401 invalid_token', async () => {
    const payload = { sub: bob.id, role: 'admin', accountId: bob.accountId, ver: 0, iss: issuer };
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...payload, aud: audience, exp: now() + 60 })}.`;

    expectRejected(await callMe(`Bearer ${unsigned}`), INVALID);
  });

  it('When the payload is tampered with (role → admin), then the signature fails: 401 invalid_token', async () => {
    const [header, payload, signature] = signFor().split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = `${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`;

    expectRejected(await callMe(`Bearer ${forged}`), INVALID);
  });

  it('When the token is signed with another secret, then 401 invalid_token', async () => {
    const token = signFor({ secret: 'another-secret-of-at-least-thirty-two-chars' });

    expectRejected(await callMe(`Bearer ${token}`), INVALID);
  });

  it('When the token has expired, then 401 invalid_token', async () => {
    const token = signFor({ claims: { iat: now() - 120 }, options: { expiresIn: 60 } });

    expectRejected(await callMe(`Bearer ${token}`), INVALID);
  });

  it('When the token is not yet valid (nbf in the future), then 401 invalid_token', async () => {
    const token = signFor({ options: { notBefore: 60 } });

    expectRejected(await callMe(`Bearer ${token}`), INVALID);
  });

  it('When the token comes from another issuer, then 401 invalid_token', async () => {
    const token = signFor({ options: { issuer: 'someone-else' } });

    expectRejected(await callMe(`Bearer ${token}`), INVALID);
  });

  it('When the token is for another audience, then 401 invalid_token', async () => {
    const token = signFor({ options: { audience: 'another-api' } });

    expectRejected(await callMe(`Bearer ${token}`), INVALID);
  });

  it('When the token names a user who does not exist, then 401 invalid_token', async () => {
    const token = signFor({ options: { subject: randomUUID() } });

    expectRejected(await callMe(`Bearer ${token}`), INVALID);
  });

  it('When the token was revoked (the user’s token_version moved on), then 401 invalid_token', async () => {
    const token = tokenFor(bob, 0);
    await testPool().query('UPDATE users SET token_version = 1 WHERE id = $1', [bob.id]);

    expectRejected(await callMe(`Bearer ${token}`), INVALID);
    expect((await callMe(`Bearer ${tokenFor(bob, 1)}`)).status).toBe(200);
  });

  it('When the user’s role changed after the token was issued, then the stored role counts', async () => {
    const token = tokenFor(bob);
    await testPool().query("UPDATE users SET role = 'customer' WHERE id = $1", [bob.id]);

    const res = await callMe(`Bearer ${token}`);

    expect(res.status).toBe(200);
    expect(res.body.data.role).toBe('customer');
  });
});
