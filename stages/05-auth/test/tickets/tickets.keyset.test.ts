import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/tickets/tickets.cursor.ts';
import { MAX_PAGE_DEPTH } from '../../src/tickets/tickets.list-query.ts';
import { buildApp, createTicket, request } from '../support/helpers.ts';

describe('GET /api/v1/tickets?after=<cursor> (keyset pagination)', () => {
  it('When a client follows meta.nextCursor, then it sees every ticket once, newest first, and the last page says null', async () => {
    const { app } = buildApp();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createTicket(app, { subject: `Ticket ${i}` }));
    const everything = await request(app).get('/api/v1/tickets?pageSize=100');

    const seen: string[] = [];
    let res = await request(app).get('/api/v1/tickets?pageSize=2');
    expect(res.body.meta).toMatchObject({ page: 1, pageSize: 2, total: 5, hasMore: true });
    for (let guard = 0; guard < 5 && res.body.meta.nextCursor; guard++) {
      seen.push(...res.body.data.map((t: { id: string }) => t.id));
      res = await request(app)
        .get('/api/v1/tickets')
        .query({ pageSize: 2, after: res.body.meta.nextCursor });
      expect(res.status).toBe(200);
      expect(res.body.meta).toMatchObject({ page: null, pageSize: 2, total: 5 });
      expect(res.body.meta.hasMore).toBe(res.body.meta.nextCursor !== null);
    }
    seen.push(...res.body.data.map((t: { id: string }) => t.id));

    expect(res.body.meta).toMatchObject({ hasMore: false, nextCursor: null });
    expect(seen).toEqual(everything.body.data.map((t: { id: string }) => t.id));
    expect([...seen].sort()).toEqual(created.map((t) => t.id).sort());
  });

  it('When the last page is full, then it says hasMore false and gives no cursor to an empty page', async () => {
    const { app } = buildApp();
    for (let i = 0; i < 4; i++) await createTicket(app, { subject: `Ticket ${i}` });

    const first = await request(app).get('/api/v1/tickets?pageSize=2');
    const last = await request(app)
      .get('/api/v1/tickets')
      .query({ pageSize: 2, after: first.body.meta.nextCursor });

    expect(first.body.meta).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
    expect(last.body.data).toHaveLength(2);
    expect(last.body.meta).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it.each([
    ['not base64 JSON', 'nope'],
    ['a cursor of the wrong shape', Buffer.from('{"id":1}').toString('base64url')],
    ['a cursor with a bad id', encodeCursor({ createdAt: '2026-01-01T00:00:00.000Z', id: 'x' })],
    [
      // PostgreSQL has no year 0000: this one reached the database as a 500 until stage 08's
      // property test found it.
      'a cursor in the year 0000',
      encodeCursor({
        createdAt: '0000-01-01T00:00:00.000Z',
        id: '00000000-0000-4000-8000-000000000000',
      }),
    ],
    [
      'a cursor with a bad time',
      encodeCursor({
        createdAt: '2026-13-01T00:00:00.000Z',
        id: '00000000-0000-4000-8000-000000000000',
      }),
    ],
  ])('When after is %s, then 400 INVALID_QUERY naming after', async (_case, after) => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets').query({ after });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'INVALID_QUERY',
      fields: { after: expect.any(String) },
    });
  });

  it('When after and page are both given, then 400: a cursor says where the page starts', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app)
      .get('/api/v1/tickets')
      .query({ page: 2, after: encodeCursor(ticket) });

    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ after: expect.any(String) });
  });

  it('When a cursor round-trips, then it decodes to the same (createdAt, id)', () => {
    const key = {
      createdAt: '2026-01-01T09:00:00.123Z',
      id: '00000000-0000-4000-8000-000000000001',
    };

    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });
});

describe('GET /api/v1/tickets?page=: depth is capped', () => {
  it('When page × pageSize reaches past the cap, then 400 naming page and how to go on (narrow, or after)', async () => {
    const { app } = buildApp();
    const pageSize = 20;
    const deepest = MAX_PAGE_DEPTH / pageSize; // the last page that starts before the cap

    const ok = await request(app).get('/api/v1/tickets').query({ page: deepest, pageSize });
    const tooDeep = await request(app)
      .get('/api/v1/tickets')
      .query({ page: deepest + 1, pageSize });

    expect(ok.status).toBe(200);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.code).toBe('INVALID_QUERY');
    expect(tooDeep.body.error.fields).toEqual({ page: expect.stringContaining('after=') });
    expect(tooDeep.body.error.message).toMatch(/narrow/i);
  });

  it('When an unknown parameter is named __proto__, then 400 naming it like any other', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?__proto__=x');

    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields)).toEqual(['__proto__']);
  });
});
