import express from 'express';
import { describe, expect, it } from 'vitest';
import { allTickets, buildApp, createTicket, JSON_UTF8, request } from '../support/helpers.ts';

describe('Unknown paths', () => {
  it.each([
    '/',
    '/api/v1/nope',
    '/api/v2/tickets',
    '/api/v1/tickets/x/y',
    '/api/v1/tickets/%E0%A4%A',
  ])('When %s is requested, then 404 NOT_FOUND in the error envelope', async (path) => {
    const { app } = buildApp();

    const res = await request(app).get(path);

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});

describe('/api/v1/tickets with a method it does not support', () => {
  it.each(['put', 'delete', 'patch'] as const)(
    'When %s is sent, then 405 with Allow: GET, HEAD, POST, OPTIONS',
    async (method) => {
      const { app, deps } = buildApp();

      const res = await request(app)[method]('/api/v1/tickets');

      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
      expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
      expect(await allTickets(deps.tickets)).toEqual([]);
    },
  );
});

describe('/api/v1/tickets/:id with a method it does not support', () => {
  it('When POST is sent, then 405 with Allow: GET, HEAD, PATCH, DELETE, OPTIONS', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).post(`/api/v1/tickets/${ticket.id}`).send({ subject: 'x' });

    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, PATCH, DELETE, OPTIONS');
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('/api/v1/tickets/:id/resolve with a method it does not support', () => {
  it('When GET is sent, then 405 with Allow: POST, OPTIONS', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).get(`/api/v1/tickets/${ticket.id}/resolve`);

    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST, OPTIONS');
  });
});

describe('HEAD on a GET route', () => {
  it('When HEAD is sent, then the GET answer without its body (Express does this for every GET route)', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    const get = await request(app).get(`/api/v1/tickets/${ticket.id}`);

    const res = await request(app).head(`/api/v1/tickets/${ticket.id}`);

    expect(res.status).toBe(200);
    expect(res.text).toBeUndefined(); // no body at all
    expect(res.headers['content-length']).toBe(get.headers['content-length']);
    expect(res.headers.etag).toBe(get.headers.etag);
  });
});

describe('OPTIONS on a known path (no CORS involved)', () => {
  it('When OPTIONS is sent without an Origin, then 204 with the Allow header and no body', async () => {
    const { app } = buildApp();

    const res = await request(app).options('/api/v1/tickets');

    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
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

describe('Location: derived from where the router is mounted', () => {
  it('When the whole API is mounted under another path, then a new ticket’s Location names that path', async () => {
    const { app, deps } = buildApp();
    const outer = express().use('/edge', app);

    const res = await request(outer).post('/edge/api/v1/tickets').send({ subject: 'Mounted' });

    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/edge/api/v1/tickets/${res.body.data.id}`);
    expect((await request(outer).get(res.headers.location as string)).status).toBe(200);
    expect(await deps.tickets.findById(res.body.data.id)).toEqual(res.body.data);
  });
});
