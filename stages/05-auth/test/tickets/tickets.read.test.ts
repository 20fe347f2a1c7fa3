import { describe, expect, it } from 'vitest';
import { insertPastTicket } from '../support/db-helpers.ts';
import { buildApp, createTicket, JSON_UTF8, request } from '../support/helpers.ts';

describe('GET /api/v1/tickets', () => {
  it('When there are no tickets, then 200 with an empty page and its meta', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({
      data: [],
      meta: {
        page: 1,
        pageSize: 20,
        total: 0,
        totalExact: true,
        totalPages: 0,
        hasMore: false,
        nextCursor: null,
      },
    });
  });

  it('When tickets exist, then they are listed newest first', async () => {
    const { app } = buildApp();
    const first = await insertPastTicket(3, { subject: 'First' });
    const second = await insertPastTicket(2, { subject: 'Second' });
    const third = await insertPastTicket(1, { subject: 'Third' });

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

  it('When the id is an unknown UUID, then 404 NOT_FOUND in the error envelope', async () => {
    const { app } = buildApp();
    await createTicket(app);

    const res = await request(app).get('/api/v1/tickets/00000000-0000-4000-8000-000000000000');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});
