import { FIXTURE_PASSWORD, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { redisReady } from '../../src/db/redis.ts';
import { lowerLikePostgres } from '../../src/middleware/rate-limit.ts';
import { testPool } from '../support/db-helpers.ts';
import { authAs, buildApp, testRedisConfig } from '../support/helpers.ts';
import { newTestRedisClient } from '../support/redis-helpers.ts';

const { alice, bob, carol } = FIXTURE_USERS;
type Limits = Parameters<typeof testRedisConfig>[0];

function appWith(limits: Limits, options: { trustProxyHops?: number } = {}) {
  return buildApp({ config: { ...testRedisConfig(limits), ...options } });
}

/** Sends `count` requests one after the other; their statuses in order. */
async function statuses(count: number, send: (i: number) => Promise<{ status: number }>) {
  const result: number[] = [];
  for (let i = 0; i < count; i += 1) result.push((await send(i)).status);
  return result;
}

describe('General rate limit (every /api/v1 route)', () => {
  it('When a user goes over the limit, then 429 RATE_LIMIT_EXCEEDED with RateLimit, RateLimit-Policy and Retry-After', async () => {
    const { app } = appWith({ limit: 3, windowMs: 60_000 });
    const me = () => supertest(app).get('/api/v1/me').set(authAs(carol));
    expect(await statuses(3, me)).toEqual([200, 200, 200]);

    const res = await me();

    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      error: { code: 'RATE_LIMIT_EXCEEDED', message: expect.stringContaining('Retry-After') },
    });
    expect(res.headers['ratelimit-policy']).toMatch(/^"api"; q=3; w=60; pk=:[^:]+:$/);
    expect(res.headers.ratelimit).toMatch(/^"api"; r=0; t=\d+$/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined(); // no legacy headers
  });

  it('When 20 requests arrive at once against a limit of 5, then exactly 5 pass: the count and the check are one step in Redis', async () => {
    const { app } = appWith({ limit: 5 });

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => supertest(app).get('/api/v1/me').set(authAs(carol))),
    );

    const codes = responses.map((res) => res.status);
    expect(codes.filter((status) => status === 200)).toHaveLength(5);
    expect(codes.filter((status) => status === 429)).toHaveLength(15);
  });

  it('When requests are under the limit, then each says how many remain', async () => {
    const { app } = appWith({ limit: 5 });

    const first = await supertest(app).get('/api/v1/me').set(authAs(carol));
    const second = await supertest(app).get('/api/v1/me').set(authAs(carol));

    expect(first.headers.ratelimit).toMatch(/^"api"; r=4; t=\d+$/);
    expect(second.headers.ratelimit).toMatch(/^"api"; r=3; t=\d+$/);
  });

  it('When one user is limited, then another user from the same address still gets through', async () => {
    const { app } = appWith({ limit: 2 });
    await statuses(3, () => supertest(app).get('/api/v1/me').set(authAs(carol)));

    const other = await supertest(app).get('/api/v1/me').set(authAs(bob));

    expect(other.status).toBe(200);
  });

  it('When callers without a token go over the limit, then their address is limited', async () => {
    const { app } = appWith({ limit: 2 });

    const result = await statuses(3, () => supertest(app).get('/api/v1/openapi.json'));

    expect(result).toEqual([200, 200, 429]);
  });

  it('When an address has used up its budget, then /health still answers 200 and costs no budget: a probe never sees 429', async () => {
    const { app } = appWith({ limit: 2 });
    const health = () => supertest(app).get('/api/v1/health');

    const before = await statuses(5, health);
    const api = await statuses(3, () => supertest(app).get('/api/v1/openapi.json'));
    const after = await statuses(5, health);

    expect(before).toEqual([200, 200, 200, 200, 200]);
    expect(api).toEqual([200, 200, 429]); // the five health checks spent none of the two
    expect(after).toEqual([200, 200, 200, 200, 200]);
    expect((await health()).headers.ratelimit).toBeUndefined();
  });

  it('When a client without a proxy in front sends a new X-Forwarded-For each time, then it gets no fresh budget', async () => {
    const { app } = appWith({ limit: 2 }, { trustProxyHops: 0 });

    const result = await statuses(3, (i) =>
      supertest(app).get('/api/v1/openapi.json').set('X-Forwarded-For', `198.51.100.${i}`),
    );

    expect(result).toEqual([200, 200, 429]);
  });

  it('When one proxy is trusted, then a spoofed first X-Forwarded-For entry is ignored and the proxy-seen address counts', async () => {
    const { app } = appWith({ limit: 2 }, { trustProxyHops: 1 });
    // What the proxy forwards: whatever the client claimed, then the address it really saw.
    const via = (claimed: string, seen: string) =>
      supertest(app).get('/api/v1/openapi.json').set('X-Forwarded-For', `${claimed}, ${seen}`);

    const spoofer = await statuses(3, (i) => via(`198.51.100.${i}`, '203.0.113.7'));
    const someoneElse = await via('198.51.100.1', '203.0.113.8');

    expect(spoofer).toEqual([200, 200, 429]);
    expect(someoneElse.status).toBe(200);
  });

  it('When two app instances share one Redis, then they share one budget', async () => {
    const otherClient = newTestRedisClient();
    await redisReady(otherClient);
    try {
      const one = appWith({ limit: 4 }).app;
      const two = buildApp({ redis: otherClient, config: testRedisConfig({ limit: 4 }) }).app;

      const result = await statuses(6, (i) =>
        supertest(i % 2 === 0 ? one : two)
          .get('/api/v1/me')
          .set(authAs(carol)),
      );

      expect(result).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await otherClient.close();
    }
  });
});

describe('Login rate limit (POST /api/v1/auth/login)', () => {
  const login = (
    app: Parameters<typeof supertest>[0],
    email: string,
    password = 'wrong-password',
  ) => supertest(app).post('/api/v1/auth/login').send({ email, password });

  it('When one e-mail is tried too often, then 429 even with the right password, and other e-mails still log in', async () => {
    const { app } = appWith({ loginLimitPerEmail: 2 });
    expect(await statuses(2, () => login(app, alice.email))).toEqual([401, 401]);

    const right = await login(app, alice.email, FIXTURE_PASSWORD);
    const sameInCapitals = await login(app, alice.email.toUpperCase(), FIXTURE_PASSWORD);
    const other = await login(app, bob.email, FIXTURE_PASSWORD);

    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(right.headers['retry-after']).toBeDefined();
    expect(right.body.data).toBeUndefined();
    expect(sameInCapitals.status).toBe(429);
    expect(other.status).toBe(200);
  });

  it('When a user logs in more often than the per-e-mail limit, then every login succeeds: only failures count', async () => {
    const { app } = appWith({ loginLimitPerEmail: 3 });

    const logins = await statuses(6, () => login(app, alice.email, FIXTURE_PASSWORD));
    const failures = await statuses(3, () => login(app, alice.email));
    const next = await login(app, alice.email, FIXTURE_PASSWORD);

    expect(logins).toEqual([200, 200, 200, 200, 200, 200]);
    expect(failures).toEqual([401, 401, 401]);
    expect(next.status).toBe(429); // three failures spent the budget, the logins did not
  });

  it('When 20 wrong passwords for one e-mail arrive at once against a limit of 5, then exactly 5 are checked and the rest refused', async () => {
    const { app } = appWith({ loginLimitPerEmail: 5 });

    const responses = await Promise.all(Array.from({ length: 20 }, () => login(app, alice.email)));
    const right = await login(app, alice.email, FIXTURE_PASSWORD);

    const codes = responses.map((res) => res.status);
    expect(codes.filter((status) => status === 401)).toHaveLength(5);
    expect(codes.filter((status) => status === 429)).toHaveLength(15);
    expect(right.status).toBe(429);
  });

  it('When one account is tried under spellings that PostgreSQL’s lower() makes one (a final Σ), then they share one budget', async () => {
    // One row for users_email_key: lower() maps each Σ to σ. JavaScript's toLowerCase() ends
    // 'ΟΔΟΣ' with a final ς instead: a key built with it would give each spelling its own budget.
    const email = 'ΟΔΟΣ@example.gr';
    const register = { email, password: FIXTURE_PASSWORD, name: 'Odos', accountName: 'Odos' };
    const roomy = appWith({}).app;
    await supertest(roomy).post('/api/v1/auth/register').send(register).expect(201);
    const { app } = appWith({ loginLimitPerEmail: 2 });
    const spellings = [email, 'οδοσ@example.gr', 'Οδοσ@example.gr', 'ΟΔΟΣ@EXAMPLE.GR'];

    const result = await statuses(4, (i) => login(app, spellings[i] as string));
    const sameAccount = await login(roomy, 'οδοσ@example.gr', FIXTURE_PASSWORD);

    expect(result).toEqual([401, 401, 429, 429]);
    expect(sameAccount.status).toBe(200); // PostgreSQL found the account under that spelling
  });

  it('When PostgreSQL’s lower() makes two characters one, then so does the limit’s key: no spelling of an account gets a budget of its own', async () => {
    // Every character the database lowers, with what it lowers it to (the whole of Unicode).
    const { rows } = await testPool().query<{ char: string; lower: string }>(
      `SELECT chr(n) AS char, lower(chr(n)) AS lower FROM generate_series(1, 1114111) AS n
       WHERE n NOT BETWEEN 55296 AND 57343 AND lower(chr(n)) <> chr(n)`,
    );

    const split = rows.filter(
      ({ char, lower }) => lowerLikePostgres(char) !== lowerLikePostgres(lower),
    );

    expect(rows.length).toBeGreaterThanOrEqual(26); // A–Z at least, whatever the locale
    expect(split).toEqual([]);
  });

  it('When one address tries many e-mails, then the address limit stops it', async () => {
    const { app } = appWith({ loginLimitPerIp: 3 });

    const result = await statuses(4, (i) => login(app, `guess-${i}@acme.test`));

    expect(result).toEqual([401, 401, 401, 429]);
  });

  it('When the login limit is reached, then the headers name the login policy besides the general one', async () => {
    const { app } = appWith({ loginLimitPerEmail: 1 });
    await login(app, alice.email);

    const res = await login(app, alice.email);

    expect(res.status).toBe(429);
    expect(res.headers['ratelimit-policy']).toContain('"login-email"; q=1; w=900');
    expect(res.headers['ratelimit-policy']).toContain('"api"');
  });
});

describe('The rate limits in the OpenAPI document', () => {
  it('When the document is served, then every operation but the health checks documents 429 with Retry-After, and RateLimit headers on each answer', async () => {
    const { app } = appWith({});

    const res = await supertest(app).get('/api/v1/openapi.json');

    type Response = { headers?: Record<string, unknown>; 'x-error-codes'?: string[] };
    const paths = res.body.paths as Record<
      string,
      Record<string, { responses: Record<string, Response> }>
    >;
    const limited = Object.entries(paths).filter(([path]) => !path.startsWith('/api/v1/health'));
    const operations = limited.flatMap(([, byMethod]) => Object.values(byMethod));
    expect(operations.length).toBeGreaterThan(15);
    // A health check is never limited, and its document does not promise a 429.
    expect(paths['/api/v1/health']?.get?.responses).not.toHaveProperty('429');
    for (const { responses } of operations) {
      expect(responses['429']?.['x-error-codes']).toEqual(['RATE_LIMIT_EXCEEDED']);
      expect(Object.keys(responses['429']?.headers ?? {})).toEqual(
        expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy']),
      );
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400) continue;
        expect(Object.keys(response.headers ?? {}), status).toEqual(
          expect.arrayContaining(['RateLimit', 'RateLimit-Policy']),
        );
      }
    }
    // The cached reads say where their answer came from.
    expect(paths['/api/v1/stats']?.get?.responses['200']?.headers).toHaveProperty('X-Cache');
    expect(paths['/api/v1/tickets']?.get?.responses['200']?.headers).toHaveProperty('X-Cache');
  });
});

describe('New-user rate limit (POST /api/v1/auth/register, POST /api/v1/users)', () => {
  const PASSWORD = 'a long and honest passphrase';
  const signUp = (n: number) => ({
    email: `founder-${n}@initech.test`,
    password: PASSWORD,
    name: 'Peter Founder',
    accountName: `Initech ${n}`,
  });
  const newUser = (n: number) => ({
    email: `agent-${n}@acme.test`,
    password: PASSWORD,
    name: 'New Agent',
    role: 'agent',
  });
  async function usersLike(pattern: string): Promise<number> {
    const { rows } = await testPool().query<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE email LIKE $1',
      [pattern],
    );
    return rows[0]?.n ?? 0;
  }

  it('When 20 sign-ups from one address arrive at once against a limit of 5, then exactly 5 accounts are created: each costs a bcrypt hash', async () => {
    const { app } = appWith({ newUserLimitPerIp: 5 });

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        supertest(app).post('/api/v1/auth/register').send(signUp(i)),
      ),
    );

    const codes = responses.map((res) => res.status);
    expect(codes.filter((status) => status === 201)).toHaveLength(5);
    expect(codes.filter((status) => status === 429)).toHaveLength(15);
    const refused = responses.find((res) => res.status === 429);
    expect(refused?.body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(refused?.headers['ratelimit-policy']).toContain('"new-user"; q=5; w=900');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    expect(await usersLike('founder-%@initech.test')).toBe(5);
  });

  it('When an admin creates 20 users at once from one address against a limit of 5, then exactly 5 are created', async () => {
    const { app } = appWith({ newUserLimitPerIp: 5 });

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        supertest(app).post('/api/v1/users').set(authAs(carol)).send(newUser(i)),
      ),
    );

    const codes = responses.map((res) => res.status);
    expect(codes.filter((status) => status === 201)).toHaveLength(5);
    expect(codes.filter((status) => status === 429)).toHaveLength(15);
    expect(await usersLike('agent-%@acme.test')).toBe(5);
  });

  it('When sign-ups and new users come from one address, then they share its budget, and another address has its own', async () => {
    const { app } = appWith({ newUserLimitPerIp: 2 }, { trustProxyHops: 1 });
    const from = (address: string) => ({ 'X-Forwarded-For': address });

    const one = await supertest(app)
      .post('/api/v1/auth/register')
      .set(from('203.0.113.7'))
      .send(signUp(1));
    const two = await supertest(app)
      .post('/api/v1/users')
      .set({ ...authAs(carol), ...from('203.0.113.7') })
      .send(newUser(1));
    const three = await supertest(app)
      .post('/api/v1/auth/register')
      .set(from('203.0.113.7'))
      .send(signUp(2));
    const elsewhere = await supertest(app)
      .post('/api/v1/auth/register')
      .set(from('203.0.113.8'))
      .send(signUp(3));

    expect([one.status, two.status, three.status, elsewhere.status]).toEqual([201, 201, 429, 201]);
  });
});
