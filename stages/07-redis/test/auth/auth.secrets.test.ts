import { FIXTURE_PASSWORD, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { testPool } from '../support/db-helpers.ts';
import { buildApp, TEST_JWT_SECRET } from '../support/helpers.ts';

const PASSWORD = 'my very secret passphrase';

describe('secrets never leave', () => {
  it('When a user registers, logs in, works, fails and logs out, then no log line and no other body holds a password, a hash or a token', async () => {
    const { app, deps } = buildApp();
    const bodies: string[] = [];
    const api = (res: supertest.Response) => {
      bodies.push(res.text);
      return res;
    };

    api(
      await supertest(app).post('/api/v1/auth/register').send({
        email: 'secret@initech.test',
        password: PASSWORD,
        name: 'Secret Keeper',
        accountName: 'Initech',
      }),
    );
    const login = await supertest(app)
      .post('/api/v1/auth/login')
      .send({ email: 'secret@initech.test', password: PASSWORD });
    const token: string = login.body.data.accessToken;
    const bearer = { Authorization: `Bearer ${token}` };
    api(await supertest(app).get('/api/v1/me').set(bearer));
    api(await supertest(app).post('/api/v1/tickets').set(bearer).send({ subject: 'Hello' }));
    api(await supertest(app).get('/api/v1/tickets?include=comments').set(bearer));
    api(
      await supertest(app)
        .post('/api/v1/auth/login')
        .send({ email: 'secret@initech.test', password: `${PASSWORD}!` }),
    );
    api(
      await supertest(app)
        .post('/api/v1/auth/login')
        .send({ email: FIXTURE_USERS.bob.email, password: FIXTURE_PASSWORD.toUpperCase() }),
    );
    api(
      await supertest(app)
        .post('/api/v1/users')
        .set(bearer)
        .send({
          email: 'x@initech.test',
          password: `${'é'.repeat(36)}x`,
          name: 'X',
          role: 'agent',
        }),
    );
    api(await supertest(app).get('/api/v1/me').set('Authorization', `Bearer ${token}tampered`));
    api(await supertest(app).post('/api/v1/auth/logout-all').set(bearer));
    api(await supertest(app).get('/api/v1/me').set(bearer)); // revoked

    const { rows } = await testPool().query(
      'SELECT password_hash FROM users WHERE password_hash IS NOT NULL',
    );
    const hashes: string[] = rows.map((r) => r.password_hash);
    const secrets = [PASSWORD, FIXTURE_PASSWORD, token, TEST_JWT_SECRET, ...hashes];
    const logs = deps.logs.raw;
    expect(logs.length).toBeGreaterThanOrEqual(bodies.length + 1); // the access log saw them all
    for (const secret of secrets) {
      for (const line of logs) expect(line).not.toContain(secret);
      for (const body of bodies) expect(body).not.toContain(secret);
    }
    for (const text of [...logs, ...bodies]) expect(text).not.toMatch(/\$2[aby]\$\d\d\$/);
  });
});
