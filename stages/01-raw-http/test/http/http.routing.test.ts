import type { RequestListener } from 'node:http';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../src/http/body.ts';
import { createRouter, type Router, splitUrl } from '../../src/http/router.ts';
import { ticketRoutes } from '../../src/tickets/tickets.routes.ts';
import { createInMemoryTicketStore } from '../../src/tickets/tickets.store.ts';
import { buildApp, createTicket, JSON_UTF8 } from '../support/helpers.ts';

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

describe('Location: derived from the route prefix', () => {
  it('When the ticket routes are registered under another prefix, then Location names that prefix', async () => {
    const store = createInMemoryTicketStore();
    const app = listenerFor(createRouter(ticketRoutes(store, '/v9')));

    const res = await request(app).post('/v9/tickets').send({ subject: 'Elsewhere' });

    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v9/tickets/${res.body.data.id}`);
    expect((await request(app).get(res.headers.location as string)).status).toBe(200);
  });
});

/** The smallest listener around a router: enough to run its handlers with a JSON body. */
function listenerFor(router: Router): RequestListener {
  return (req, res) => {
    const { pathname, query } = splitUrl(req.url ?? '/');
    const match = router.match(req.method ?? 'GET', pathname);
    if (match.kind !== 'found') throw new Error(`no route for ${req.method} ${pathname}`);
    const body = req.method === 'POST' ? readJsonBody(req, 1024) : Promise.resolve(undefined);
    void body.then((parsed) =>
      match.handler({ req, res, params: match.params, query, body: parsed }),
    );
  };
}
