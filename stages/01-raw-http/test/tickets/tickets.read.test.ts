import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createInMemoryTicketStore } from '../../src/tickets/tickets.store.ts';
import { buildApp, createTicket, JSON_UTF8, steppingClock } from '../support/helpers.ts';

describe('GET /api/v1/tickets', () => {
  it('When there are no tickets, then 200 with an empty list', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({ data: [] });
  });

  it('When tickets exist, then they are listed newest first', async () => {
    const { app } = buildApp({ store: createInMemoryTicketStore({ now: steppingClock() }) });
    const first = await createTicket(app, { subject: 'First' });
    const second = await createTicket(app, { subject: 'Second' });
    const third = await createTicket(app, { subject: 'Third' });

    const res = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(200);
    expect(res.body.data.map((t: { id: string }) => t.id)).toEqual([third.id, second.id, first.id]);
  });
});

describe('GET /api/v1/tickets/:id', () => {
  it('When the ticket exists, then 200 with that ticket', async () => {
    const { app } = buildApp();
    const created = await createTicket(app, { subject: 'VPN drops every hour' });

    const res = await request(app).get(`/api/v1/tickets/${created.id}`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({ data: created });
  });

  it.each([
    ['an unknown UUID', '00000000-0000-4000-8000-000000000000'],
    ['not even a UUID', 'no-such-ticket'],
  ])('When the id is %s, then 404 NOT_FOUND in the error envelope', async (_case, id) => {
    const { app } = buildApp();
    await createTicket(app);

    const res = await request(app).get(`/api/v1/tickets/${id}`);

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});
