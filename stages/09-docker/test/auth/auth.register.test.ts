import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import bcrypt from 'bcrypt';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { testPool } from '../support/db-helpers.ts';
import { buildApp, JSON_UTF8 } from '../support/helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'a long and honest passphrase';

function signUp(overrides: Record<string, unknown> = {}) {
  return {
    email: 'founder@initech.test',
    password: PASSWORD,
    name: 'Peter Founder',
    accountName: 'Initech',
    ...overrides,
  };
}

async function counts() {
  const { rows } = await testPool().query(
    'SELECT (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM users) AS users',
  );
  return rows[0] as { accounts: number; users: number };
}

async function storedUser(email: string) {
  const { rows } = await testPool().query(
    `SELECT u.*, a.name AS account_name FROM users u JOIN accounts a ON a.id = u.account_id
     WHERE lower(u.email) = lower($1)`,
    [email],
  );
  return rows;
}

describe('POST /api/v1/auth/register', () => {
  it('When the sign-up is valid, then 201 + Location, a new account with the user as its admin, and no secret in the body', async () => {
    const { app } = buildApp();

    const res = await supertest(app).post('/api/v1/auth/register').send(signUp());

    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body.data).toEqual({
      id: expect.stringMatching(UUID),
      accountId: expect.stringMatching(UUID),
      email: 'founder@initech.test',
      name: 'Peter Founder',
      role: 'admin',
      createdAt: expect.any(String),
    });
    expect(res.headers.location).toBe(`/api/v1/users/${res.body.data.id}`);
    expect(res.text).not.toContain(PASSWORD);
    expect(res.text).not.toMatch(/\$2[aby]\$|password|token/i);
    const [row] = await storedUser('founder@initech.test');
    expect(row).toMatchObject({ role: 'admin', account_name: 'Initech', token_version: 0 });
    expect(row.account_id).toBe(res.body.data.accountId);
    expect(row.password_hash).toMatch(/^\$2b\$04\$/); // bcrypt, at the test cost
    expect(await bcrypt.compare(PASSWORD, row.password_hash)).toBe(true);
  });

  it('When the new admin logs in, then they get a token for their new account', async () => {
    const { app } = buildApp();
    const created = await supertest(app).post('/api/v1/auth/register').send(signUp());

    const login = await supertest(app)
      .post('/api/v1/auth/login')
      .send({ email: 'founder@initech.test', password: PASSWORD });
    const me = await supertest(app)
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${login.body.data.accessToken}`);

    expect(login.status).toBe(200);
    expect(me.body.data).toEqual(created.body.data);
  });

  it.each([
    ['role', { role: 'admin' }],
    ['accountId', { accountId: FIXTURE_USERS.carol.accountId }],
    ['tokenVersion', { tokenVersion: 99 }],
    ['__proto__', JSON.parse('{"__proto__": {"role": "admin"}}')],
  ])(
    'When the body also sends %s (mass assignment), then 422 naming it and nothing is stored',
    async (field, extra) => {
      const { app } = buildApp();
      const before = await counts();

      const res = await supertest(app)
        .post('/api/v1/auth/register')
        .send({ ...signUp(), ...extra });

      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: { [field]: 'Unknown field.' },
      });
      expect(await counts()).toEqual(before);
    },
  );

  it('When the e-mail is taken in another letter case, then 409 on email and no account is left behind', async () => {
    const { app } = buildApp();
    const before = await counts();

    const res = await supertest(app)
      .post('/api/v1/auth/register')
      .send(signUp({ email: FIXTURE_USERS.bob.email.toUpperCase() }));

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'CONFLICT',
      fields: { email: 'is already taken' },
    });
    expect(await counts()).toEqual(before);
  });

  it('When 10 sign-ups with one e-mail (in different cases) arrive at once, then exactly one 201 and nine 409', async () => {
    const { app } = buildApp();
    const emails = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? 'race@initech.test' : `RACE${'@'}Initech.TEST`,
    );

    const responses = await Promise.all(
      emails.map((email, i) =>
        supertest(app)
          .post('/api/v1/auth/register')
          .send(signUp({ email, accountName: `Initech ${i}` })),
      ),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(await storedUser('race@initech.test')).toHaveLength(1);
    // The nine losers' account rows were rolled back with their user INSERT.
    expect((await counts()).accounts).toBe(3);
  });

  it('When the password is 72 bytes of two-byte characters, then it is accepted', async () => {
    const { app } = buildApp();

    const res = await supertest(app)
      .post('/api/v1/auth/register')
      .send(signUp({ password: 'é'.repeat(36) })); // 36 characters, 72 bytes

    expect(res.status).toBe(201);
  });

  it.each([
    ['73 bytes in 37 characters (bcrypt would ignore the last byte)', `${'é'.repeat(36)}a`, '73'],
    ['73 bytes of emoji and ASCII', `${'😀'.repeat(18)}a`, '73'],
    ['7 bytes', 'short12', '7'],
  ])(
    'When the password is %s, then 422 on password and nothing is stored',
    async (_case, password, bytes) => {
      const { app } = buildApp();
      const before = await counts();

      const res = await supertest(app).post('/api/v1/auth/register').send(signUp({ password }));

      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual({
        password: `Password must be 8 to 72 bytes in UTF-8 (this one is ${bytes}).`,
      });
      expect(res.text).not.toContain(password);
      expect(await counts()).toEqual(before);
    },
  );

  it('When fields are missing or not e-mail-like, then 422 naming each', async () => {
    const { app } = buildApp();

    const res = await supertest(app)
      .post('/api/v1/auth/register')
      .send({ email: 'not-an-email', password: PASSWORD });

    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual({
      email: 'Email must be an e-mail address.',
      name: 'name is required.',
      accountName: 'accountName is required.',
    });
  });
});
