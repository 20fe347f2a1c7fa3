import type { TicketStatus } from '@backend-path/shared/domain/tickets';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { describe, expect, it } from 'vitest';
import { insertTicket, testPool } from '../support/db-helpers.ts';
import { buildApp, request } from '../support/helpers.ts';

const START = Date.parse('2026-01-01T09:00:00.000Z');

/**
 * Stores `count` tickets directly (the open-ticket limit is not what these tests are about),
 * ticket i created `secondOf(i)` seconds after START: one second apart unless told otherwise.
 */
async function seed(count: number, secondOf = (i: number) => i): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(START + secondOf(i) * 1000).toISOString();
    const ticket = await insertTicket(testPool(), {
      subject: `Ticket ${i}`,
      createdAt: at,
      updatedAt: at,
    });
    ids.push(ticket.id);
  }
  return ids;
}

const idsOf = (body: { data: { id: string }[] }) => body.data.map((ticket) => ticket.id);

describe('GET /api/v1/tickets: pages', () => {
  it('When no page is asked for, then page 1 of 20, with meta counting every ticket', async () => {
    const { app } = buildApp();
    const ids = await seed(25);

    const res = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({
      page: 1,
      pageSize: 20,
      total: 25,
      totalExact: true,
      totalPages: 2,
      hasMore: true,
      nextCursor: expect.any(String),
    });
    expect(idsOf(res.body)).toEqual(ids.toReversed().slice(0, 20));
  });

  it('When page 3 of size 10 is asked for, then the last 5, newest first', async () => {
    const { app } = buildApp();
    const ids = await seed(25);

    const res = await request(app).get('/api/v1/tickets?page=3&pageSize=10');

    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({
      page: 3,
      pageSize: 10,
      total: 25,
      totalExact: true,
      totalPages: 3,
      hasMore: false,
      nextCursor: null,
    });
    expect(idsOf(res.body)).toEqual(ids.slice(0, 5).toReversed());
  });

  it('When the page is past the end, then 200 with no tickets and the real total', async () => {
    const { app } = buildApp();
    await seed(3);

    const res = await request(app).get('/api/v1/tickets?page=2');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [],
      meta: {
        page: 2,
        pageSize: 20,
        total: 3,
        totalExact: true,
        totalPages: 1,
        hasMore: false,
        nextCursor: null,
      },
    });
  });

  it('When more tickets match than meta.total counts, then "1000+": the cap, totalExact false, and hasMore', async () => {
    const { alice } = FIXTURE_USERS;
    await testPool().query(
      `INSERT INTO tickets (account_id, created_by, subject)
       SELECT $1, $2, 'Bulk ticket ' || g FROM generate_series(1, 1005) AS g`,
      [alice.accountId, alice.id],
    );
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?pageSize=100');

    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({
      page: 1,
      pageSize: 100,
      total: 1000,
      totalExact: false,
      totalPages: 10,
      hasMore: true,
      nextCursor: expect.any(String),
    });
  });

  it('When pageSize is exactly the maximum (100), then it is accepted', async () => {
    const { app } = buildApp();
    await seed(101);

    const res = await request(app).get('/api/v1/tickets?pageSize=100');

    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(100);
    expect(res.body.meta.totalPages).toBe(2);
  });

  it('When many tickets share one createdAt, then paging through returns each once, ties by id', async () => {
    // Three tickets per second: most neighbours tie.
    const { app } = buildApp();
    const ids = await seed(23, (i) => Math.floor(i / 3));

    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const res = await request(app).get(`/api/v1/tickets?page=${page}&pageSize=5`);
      expect(res.status).toBe(200);
      seen.push(...idsOf(res.body));
    }

    expect(seen).toHaveLength(23);
    expect(new Set(seen)).toEqual(new Set(ids));
    // Newest first; within one createdAt, by id (descending, like stage 03's ORDER BY … id DESC).
    const newestFirst = ids
      .map((id, i) => ({ id, second: Math.floor(i / 3) }))
      .sort((a, b) => b.second - a.second || (a.id < b.id ? 1 : -1))
      .map(({ id }) => id);
    expect(seen).toEqual(newestFirst);
  });
});

describe('GET /api/v1/tickets: bad paging values', () => {
  it.each([
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=1.5', 'page'],
    ['page=abc', 'page'],
    ['page=', 'page'],
    ['page=1e3', 'page'],
    ['pageSize=0', 'pageSize'],
    ['pageSize=101', 'pageSize'],
    ['pageSize=ten', 'pageSize'],
    ['page=1&page=2', 'page'],
    ['pageSize=-5', 'pageSize'],
    ['pageSize=10&pageSize=20', 'pageSize'],
    ['status=open&status=closed', 'status'],
    ['status=done', 'status'],
    ['pagesize=50', 'pagesize'],
  ])('When the query is ?%s, then 400 INVALID_QUERY naming %s', async (query, field) => {
    const { app } = buildApp();

    const res = await request(app).get(`/api/v1/tickets?${query}`);

    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'INVALID_QUERY',
      message: expect.stringContaining(field),
      fields: { [field]: expect.any(String) },
    });
  });

  it('When pageSize is over the maximum, then the message says the maximum', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?pageSize=500');

    expect(res.body.error.fields.pageSize).toBe('pageSize must be a whole number from 1 to 100.');
  });
});

describe('GET /api/v1/tickets?status=…', () => {
  it.each(['open', 'resolved'] as TicketStatus[])(
    'When filtered by %s, then only those tickets, and meta counts only them',
    async (status) => {
      const { app, deps } = buildApp();
      const ids = await seed(5);
      const resolved = [ids[1], ids[3]] as string[];
      for (const id of resolved) await deps.tickets.resolve(id, FIXTURE_USERS.bob.id);

      const res = await request(app).get(`/api/v1/tickets?status=${status}`);

      const expected =
        status === 'resolved' ? resolved : ids.filter((id) => !resolved.includes(id));
      expect(res.status).toBe(200);
      expect(new Set(idsOf(res.body))).toEqual(new Set(expected));
      expect(res.body.meta.total).toBe(expected.length);
    },
  );
});
