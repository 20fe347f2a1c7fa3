import { describe, expect, it } from 'vitest';
import { buildApp, JSON_UTF8, request } from '../support/helpers.ts';
import { rowCounts } from '../validation/validation.helpers.ts';

describe('Accept: content negotiation on /api/v1', () => {
  it.each([
    'text/html',
    'application/xml',
    'text/html, application/xhtml+xml',
    'application/json;q=0',
  ])('When Accept is %s, then 406 NOT_ACCEPTABLE in the JSON envelope', async (accept) => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets').set('Accept', accept);

    expect(res.status).toBe(406);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body.error).toEqual({
      code: 'NOT_ACCEPTABLE',
      message: expect.stringContaining('JSON'),
    });
  });

  it.each([
    ['no Accept', undefined],
    ['*/*', '*/*'],
    ['application/*', 'application/*'],
    ['JSON at a lower q than HTML', 'application/json;q=0.5, text/html'],
    ['application/json', 'application/json'],
  ])('When the client sends %s, then 200 with JSON', async (_name, accept) => {
    const { app } = buildApp();
    const req = request(app).get('/api/v1/tickets');
    // supertest sends no Accept unless told to.
    if (accept) req.set('Accept', accept);

    const res = await req;

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
  });

  it('When a HEAD asks for HTML, then 406 too (and no body)', async () => {
    const { app } = buildApp();

    const res = await request(app).head('/api/v1/tickets').set('Accept', 'text/html');

    expect(res.status).toBe(406);
    expect(res.text).toBeUndefined();
  });

  it('When a POST accepts only XML, then 406 and nothing is written, even with a valid body', async () => {
    const { app } = buildApp();
    const before = await rowCounts();

    const res = await request(app)
      .post('/api/v1/tickets')
      .set('Accept', 'application/xml')
      .send({ subject: 'Printer on fire' });

    expect(res.status).toBe(406);
    expect(res.body.error.code).toBe('NOT_ACCEPTABLE');
    expect(await rowCounts()).toEqual(before);
  });

  it.each(['/api/v1/health', '/api/v1/auth/login', '/api/v1/no-such-route'])(
    'When %s is asked for HTML, then 406 (every /api/v1 route negotiates)',
    async (path) => {
      const { app } = buildApp();

      const res = await request(app).get(path).set('Accept', 'text/html');

      expect(res.status).toBe(406);
    },
  );
});
