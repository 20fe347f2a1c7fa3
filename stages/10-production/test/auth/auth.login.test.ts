import { FIXTURE_PASSWORD, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import jwt from 'jsonwebtoken';
import supertest from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { createPasswordHasher } from '../../src/auth/passwords.ts';
import { testPool } from '../support/db-helpers.ts';
import {
  buildApp,
  TEST_BCRYPT_COST,
  TEST_JWT_SECRET,
  TEST_TOKEN_SETTINGS,
} from '../support/helpers.ts';

const { bob } = FIXTURE_USERS;
const INVALID = {
  error: { code: 'INVALID_CREDENTIALS', message: 'The e-mail or the password is wrong.' },
};

/** The real hasher, watched: which hash did login compare against? */
function watchedPasswords() {
  const real = createPasswordHasher(TEST_BCRYPT_COST);
  return { ...real, verify: vi.fn(real.verify) };
}

function login(app: Parameters<typeof supertest>[0], email: string, password: string) {
  return supertest(app).post('/api/v1/auth/login').send({ email, password });
}

describe('POST /api/v1/auth/login', () => {
  it('When the e-mail and password are right, then 200 with a Bearer token that works, never cached', async () => {
    const { app } = buildApp();

    const res = await login(app, bob.email, FIXTURE_PASSWORD);

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.data).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 15 * 60,
    });
    const me = await supertest(app)
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${res.body.data.accessToken}`);
    expect(me.body.data).toEqual(bob);
  });

  it('When the token is decoded, then it holds sub, role, accountId, ver and the registered claims only, signed HS256', async () => {
    const { app } = buildApp();

    const res = await login(app, bob.email, FIXTURE_PASSWORD);

    const decoded = jwt.decode(res.body.data.accessToken, { complete: true });
    expect(decoded?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = decoded?.payload as jwt.JwtPayload;
    expect(Object.keys(payload).sort()).toEqual(
      ['accountId', 'aud', 'exp', 'iat', 'iss', 'role', 'sub', 'ver'].sort(),
    );
    expect(payload).toMatchObject({
      sub: bob.id,
      role: 'agent',
      accountId: bob.accountId,
      ver: 0,
      iss: TEST_TOKEN_SETTINGS.issuer,
      aud: TEST_TOKEN_SETTINGS.audience,
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(900);
    expect(() => jwt.verify(res.body.data.accessToken, TEST_JWT_SECRET)).not.toThrow();
  });

  it('When the e-mail is typed in another case, then it still logs in', async () => {
    const { app } = buildApp();

    const res = await login(app, bob.email.toUpperCase(), FIXTURE_PASSWORD);

    expect(res.status).toBe(200);
  });

  it('When the password is wrong or the e-mail unknown, then the same 401 and the same body', async () => {
    const { app } = buildApp();

    const wrongPassword = await login(app, bob.email, 'not the password');
    const unknownEmail = await login(app, 'nobody@acme.test', FIXTURE_PASSWORD);

    for (const res of [wrongPassword, unknownEmail]) {
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toEqual(INVALID);
    }
  });

  it('When the e-mail is unknown, then a bcrypt compare still runs, against the dummy hash', async () => {
    const passwords = watchedPasswords();
    const { app } = buildApp({ passwords });

    await login(app, 'nobody@acme.test', 'some guess').expect(401);

    expect(passwords.verify).toHaveBeenCalledTimes(1);
    expect(passwords.verify).toHaveBeenCalledWith('some guess', passwords.dummyHash);
  });

  it('When the password is wrong, then the compare runs against the user’s own hash', async () => {
    const passwords = watchedPasswords();
    const { app } = buildApp({ passwords });
    const { rows } = await testPool().query('SELECT password_hash FROM users WHERE id = $1', [
      bob.id,
    ]);

    await login(app, bob.email, 'some guess').expect(401);

    expect(passwords.verify).toHaveBeenCalledTimes(1);
    expect(passwords.verify).toHaveBeenCalledWith('some guess', rows[0].password_hash);
  });

  it('When the user has no password yet, then 401 like any wrong password (after a dummy compare)', async () => {
    const passwords = watchedPasswords();
    const { app } = buildApp({ passwords });
    await testPool().query('UPDATE users SET password_hash = NULL WHERE id = $1', [bob.id]);

    const res = await login(app, bob.email, FIXTURE_PASSWORD);

    expect(res.body).toEqual(INVALID);
    expect(passwords.verify).toHaveBeenCalledWith(FIXTURE_PASSWORD, passwords.dummyHash);
  });

  it('When a 72-byte password is followed by one more byte, then 401: bcrypt would have ignored it', async () => {
    const { app } = buildApp();
    const password = 'é'.repeat(36); // 72 bytes
    await supertest(app).post('/api/v1/auth/register').send({
      email: 'long@initech.test',
      password,
      name: 'Long Password',
      accountName: 'Initech',
    });

    const exact = await login(app, 'long@initech.test', password);
    const longer = await login(app, 'long@initech.test', `${password}!`);

    expect(exact.status).toBe(200);
    expect(longer.status).toBe(401);
    expect(longer.body).toEqual(INVALID);
  });

  it('When the body has an unknown field or misses one, then 422', async () => {
    const { app } = buildApp();

    const res = await supertest(app)
      .post('/api/v1/auth/login')
      .send({ email: bob.email, remember: true });

    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual({
      remember: 'Unknown field.',
      password: 'password is required.',
    });
  });
});

describe('POST /api/v1/auth/logout-all', () => {
  it('When called, then 204, the token version moves on and every earlier token is refused', async () => {
    const { app } = buildApp();
    const first = (await login(app, bob.email, FIXTURE_PASSWORD)).body.data.accessToken;
    const second = (await login(app, bob.email, FIXTURE_PASSWORD)).body.data.accessToken;

    const res = await supertest(app)
      .post('/api/v1/auth/logout-all')
      .set('Authorization', `Bearer ${first}`);

    expect(res.status).toBe(204);
    const { rows } = await testPool().query('SELECT token_version FROM users WHERE id = $1', [
      bob.id,
    ]);
    expect(rows[0].token_version).toBe(1);
    for (const token of [first, second]) {
      const me = await supertest(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect(me.status).toBe(401);
    }
    const fresh = (await login(app, bob.email, FIXTURE_PASSWORD)).body.data.accessToken;
    const me = await supertest(app).get('/api/v1/me').set('Authorization', `Bearer ${fresh}`);
    expect(me.status).toBe(200);
  });

  it('When called without a token, then 401 and nothing changes', async () => {
    const { app } = buildApp();

    const res = await supertest(app).post('/api/v1/auth/logout-all');

    expect(res.status).toBe(401);
    const { rows } = await testPool().query('SELECT max(token_version) AS v FROM users');
    expect(rows[0].v).toBe(0);
  });
});
