import { readFileSync } from 'node:fs';
import { FIXTURE_PASSWORD, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp, request, TEST_JWT_SECRET, tokenFor } from '../support/helpers.ts';
import { captureLogs } from '../support/log-capture.ts';

describe('Structured logs (pino)', () => {
  it('When a request runs, then every line it causes — access log and service — carries its request id', async () => {
    const { app, deps } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('X-Request-Id', 'trace-create-1')
      .send(buildCreateTicketInput());

    expect(res.status).toBe(201);
    const lines = deps.logs.lines();
    expect(lines.map((line) => line.event)).toEqual(['ticket.created', 'http.request.completed']);
    for (const line of lines) expect(line.requestId).toBe('trace-create-1');
    expect(lines[0]).toMatchObject({ ticketId: res.body.data.id, service: 'backend-path-api' });
  });

  it('When two requests run at once, then each line names its own request (AsyncLocalStorage, not a shared variable)', async () => {
    const { app, deps } = buildApp();

    const answers = await Promise.all(
      ['trace-a', 'trace-b', 'trace-c'].map((id) =>
        request(app).post('/api/v1/tickets').set('X-Request-Id', id).send(buildCreateTicketInput()),
      ),
    );

    const created = deps.logs.events('ticket.created');
    expect(created).toHaveLength(3);
    for (const res of answers) {
      const line = created.find((l) => l.ticketId === res.body.data.id);
      expect(line?.requestId).toBe(res.headers['x-request-id']);
    }
  });

  it('When a request carries a token, a cookie and a password, then none of them reaches the log', async () => {
    const { app, deps } = buildApp();
    const token = tokenFor(FIXTURE_USERS.carol);

    await supertest(app)
      .post('/api/v1/auth/login')
      .set('Cookie', 'session=cookie-secret-value')
      .send({ email: FIXTURE_USERS.alice.email, password: FIXTURE_PASSWORD })
      .expect(200);
    await supertest(app).get('/api/v1/tickets').set('Authorization', `Bearer ${token}`).expect(200);
    await supertest(app)
      .get('/api/v1/tickets')
      .set('Authorization', `Bearer ${token}x`)
      .expect(401);
    await supertest(app)
      .post('/api/v1/tickets')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', 'key-secret-value')
      .send(buildCreateTicketInput())
      .expect(201);

    const text = deps.logs.raw.join('');
    for (const secret of [
      token,
      FIXTURE_PASSWORD,
      'cookie-secret-value',
      'key-secret-value',
      TEST_JWT_SECRET,
    ]) {
      expect(text).not.toContain(secret);
    }
    // Each access line names the request without its headers: no header, no token to leak.
    const accessLines = deps.logs.events('http.request.completed');
    expect(accessLines.map((line) => line.req)).toContainEqual({
      method: 'POST',
      url: '/api/v1/tickets',
      ip: expect.any(String),
    });
    for (const line of accessLines) {
      expect(Object.keys(line.req as object).sort()).toEqual(['ip', 'method', 'url']);
    }
  });

  it('When code logs an object holding passwords or tokens, at any of the usual places, then they are redacted', () => {
    const logs = captureLogs();

    logs.logger.info(
      {
        password: 'p1',
        user: { password: 'p2', passwordHash: 'h1' },
        body: { token: 't1', accessToken: 't2' },
        req: { headers: { authorization: 'Bearer a1', cookie: 'c1' } },
      },
      'careless',
    );

    expect(logs.raw.join('')).not.toMatch(/p1|p2|h1|t1|t2|a1|c1/);
    expect(logs.lines()[0]).toMatchObject({
      password: '[REDACTED]',
      user: { password: '[REDACTED]' },
      req: { headers: { authorization: '[REDACTED]', cookie: '[REDACTED]' } },
    });
  });

  it('When secrets sit in arrays, three levels down or in an error and its cause, then they are redacted too, and what was logged is left as it was', () => {
    const logs = captureLogs();
    const logged = {
      users: [{ email: 'a@example.com', password: 'p3' }],
      res: { headers: { 'set-cookie': ['session=s1'] } },
      request: { body: { credentials: { refreshToken: 'r1' } } },
    };
    const failure = Object.assign(new Error('login failed'), {
      code: 'E_LOGIN',
      cause: Object.assign(new Error('driver said no'), { password: 'p4' }),
    });

    logs.logger.info(logged, 'careless');
    logs.logger.error({ err: failure }, 'failed');

    expect(logs.raw.join('')).not.toMatch(/p3|p4|s1|r1/);
    const [line, errorLine] = logs.lines();
    expect(line).toMatchObject({
      users: [{ email: 'a@example.com', password: '[REDACTED]' }],
      res: { headers: { 'set-cookie': '[REDACTED]' } },
      request: { body: { credentials: { refreshToken: '[REDACTED]' } } },
    });
    expect(errorLine?.err).toMatchObject({
      type: 'Error',
      message: 'login failed',
      code: 'E_LOGIN',
      cause: { message: 'driver said no', password: '[REDACTED]' },
    });
    // The objects the code still holds keep their values: only the written line is censored.
    expect(logged.users[0]?.password).toBe('p3');
    expect(failure.cause.password).toBe('p4');
  });

  it('When LOG_LEVEL is warn, then info lines are not written', () => {
    const logs = captureLogs(loadConfig({ LOG_LEVEL: 'warn' }).log.level);

    logs.logger.info('quiet');
    logs.logger.warn('loud');

    expect(logs.lines().map((line) => line.msg)).toEqual(['loud']);
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
  });

  it('When NODE_ENV is not development, then no pretty printing, and pino-pretty is only a devDependency', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    );
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal/app' };

    expect(loadConfig(production).log.pretty).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).log.pretty).toBe(false);
    // Unset is development (stage 09's schema default): `pnpm dev` on a laptop.
    expect(loadConfig({}).log.pretty).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).log.pretty).toBe(true);
    expect(manifest.devDependencies['pino-pretty']).toBeDefined();
    expect(manifest.dependencies['pino-pretty']).toBeUndefined();
  });
});
