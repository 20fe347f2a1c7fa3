import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp, createTicket, JSON_UTF8 } from './helpers.ts';

describe('Unknown paths', () => {
  it.each(['/', '/api/v1/nope', '/api/v2/tickets', '/api/v1/tickets/x/y'])(
    'When %s is requested, then 404 NOT_FOUND in the error envelope',
    async (path) => {
      const { app } = buildApp();

      const res = await request(app).get(path);

      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    },
  );
});

describe('/api/v1/tickets with a method it does not support', () => {
  it.each(['put', 'delete', 'patch'] as const)(
    'When %s is sent, then 405 with Allow: GET, POST, OPTIONS',
    async (method) => {
      const { app, deps } = buildApp();

      const res = await request(app)[method]('/api/v1/tickets');

      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, POST, OPTIONS');
      expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
      expect(await deps.store.list()).toEqual([]);
    },
  );
});

describe('/api/v1/tickets/:id with a method it does not support', () => {
  it('When POST is sent, then 405 with Allow: GET, PATCH, DELETE, OPTIONS', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).post(`/api/v1/tickets/${ticket.id}`).send({ subject: 'x' });

    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, PATCH, DELETE, OPTIONS');
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('When HEAD is sent, then 405 too (this stage answers only the methods it lists)', async () => {
    const { app } = buildApp();

    const res = await request(app).head('/api/v1/health');

    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, OPTIONS');
  });
});

describe('OPTIONS on a known path (no CORS involved)', () => {
  it('When OPTIONS is sent without an Origin, then 204 with the Allow header and no body', async () => {
    const { app } = buildApp();

    const res = await request(app).options('/api/v1/tickets');

    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('GET, POST, OPTIONS');
    expect(res.text).toBe('');
  });
});

describe('Paths with a trailing slash', () => {
  it('When /api/v1/tickets/ is requested, then it is the same resource as /api/v1/tickets', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).get('/api/v1/tickets/');

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([ticket]);
  });
});
