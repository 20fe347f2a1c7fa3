import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { insertPastTicket } from '../support/db-helpers.ts';
import { authAs, buildApp, request } from '../support/helpers.ts';
import { countTicketReads } from './cache-helpers.ts';

const { bob } = FIXTURE_USERS;

describe('GET /api/v1/stats', () => {
  it('When the dashboard is asked for twice, then the first is a MISS that queries and the second a HIT that sends no ticket query', async () => {
    const { app } = buildApp();
    await insertPastTicket(30, { priority: 'high' });
    await insertPastTicket(20, { status: 'resolved', resolvedAt: new Date().toISOString() });
    const reads = countTicketReads();

    const miss = await request(app).get('/api/v1/stats');
    const missReads = reads.count;
    reads.reset();
    const hit = await request(app).get('/api/v1/stats');

    expect(miss.status).toBe(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(missReads).toBe(1);
    expect(hit.status).toBe(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(reads.count).toBe(0);
    expect(hit.body).toEqual(miss.body);
    expect(miss.body.data).toMatchObject({
      total: 2,
      byStatus: { open: 1, pending: 0, resolved: 1, closed: 0 },
      byPriority: { high: 1 },
      openUnassigned: 1,
    });
    expect(miss.body.data.medianSecondsToResolve).toBeGreaterThan(0);
  });

  it('When open tickets are assigned, then the dashboard counts them per agent', async () => {
    const { app } = buildApp();
    await insertPastTicket(3, { assigneeId: bob.id });
    await insertPastTicket(2, { assigneeId: bob.id });
    await insertPastTicket(1, { assigneeId: bob.id, status: 'closed' });

    const res = await supertest(app).get('/api/v1/stats').set(authAs(bob));

    expect(res.status).toBe(200);
    expect(res.body.data.openByAssignee).toEqual([{ assigneeId: bob.id, name: bob.name, open: 2 }]);
    expect(res.body.data.byStatus).toMatchObject({ open: 2, closed: 1 });
  });

  it('When the dashboard gets a query parameter, then 400 INVALID_QUERY and nothing is cached', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/stats?accountId=someone-else');

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_QUERY');
    expect(res.body.error.fields).toEqual({
      accountId: 'accountId is not a parameter here; the dashboard takes no parameters.',
    });
    expect(res.headers['x-cache']).toBeUndefined();
  });

  it('When no token is sent, then 401 before the cache is asked', async () => {
    const { app } = buildApp();

    const res = await supertest(app).get('/api/v1/stats');

    expect(res.status).toBe(401);
    expect(res.headers['x-cache']).toBeUndefined();
  });
});

describe('GET /api/v1/tickets (cached pages)', () => {
  it('When the same page is asked for twice, then the second is a HIT with the same body and no ticket query', async () => {
    const { app } = buildApp();
    await insertPastTicket(2);
    await insertPastTicket(1);
    const reads = countTicketReads();

    const miss = await request(app).get('/api/v1/tickets?pageSize=1');
    expect(reads.count).toBeGreaterThan(0);
    reads.reset();
    const hit = await request(app).get('/api/v1/tickets?pageSize=1');

    expect(miss.headers['x-cache']).toBe('MISS');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(reads.count).toBe(0);
    expect(hit.body).toEqual(miss.body);
    expect(hit.body.meta).toMatchObject({ pageSize: 1, total: 2 });
  });

  it('When the same query is written in another order, then it is the same key (a HIT)', async () => {
    const { app } = buildApp();
    await insertPastTicket(1);

    await request(app).get('/api/v1/tickets?status=open&pageSize=5');
    const res = await request(app).get('/api/v1/tickets?pageSize=5&status=open');

    expect(res.headers['x-cache']).toBe('HIT');
  });

  it('When another page, filter or include is asked for, then each is its own MISS with its own answer', async () => {
    const { app } = buildApp();
    await insertPastTicket(2, { subject: 'Older' });
    await insertPastTicket(1, { subject: 'Newer' });
    await request(app).get('/api/v1/tickets?pageSize=1');

    const page2 = await request(app).get('/api/v1/tickets?pageSize=1&page=2');
    const pending = await request(app).get('/api/v1/tickets?pageSize=1&status=pending');
    const withComments = await request(app).get('/api/v1/tickets?pageSize=1&include=comments');

    expect(page2.headers['x-cache']).toBe('MISS');
    expect(page2.body.data[0].subject).toBe('Older');
    expect(pending.headers['x-cache']).toBe('MISS');
    expect(pending.body.data).toEqual([]);
    expect(withComments.headers['x-cache']).toBe('MISS');
    expect(withComments.body.data[0]).toHaveProperty('comments');
  });

  // LESSON (tested): every input that changes the answer is part of the key. Each test below
  // changes ONE input and nothing else: left out of the key, the second request would be a HIT
  // serving the first one's answer.
  it('When only pageSize differs, then each is its own MISS with as many tickets as asked for', async () => {
    const { app } = buildApp();
    for (const minutes of [3, 2, 1]) await insertPastTicket(minutes);

    const one = await request(app).get('/api/v1/tickets?pageSize=1');
    const two = await request(app).get('/api/v1/tickets?pageSize=2');

    expect(one.body.data).toHaveLength(1);
    expect(two.headers['x-cache']).toBe('MISS');
    expect(two.body.data).toHaveLength(2);
    expect(two.body.meta).toMatchObject({ pageSize: 2, total: 3 });
  });

  it('When pages differ only by their cursor, then each is its own MISS that starts after it', async () => {
    const { app } = buildApp();
    const [oldest, middle, newest] = [
      await insertPastTicket(3, { subject: 'Oldest' }),
      await insertPastTicket(2, { subject: 'Middle' }),
      await insertPastTicket(1, { subject: 'Newest' }),
    ];

    const first = await request(app).get('/api/v1/tickets').query({ pageSize: 1 });
    const second = await request(app)
      .get('/api/v1/tickets')
      .query({ pageSize: 1, after: first.body.meta.nextCursor });
    const third = await request(app)
      .get('/api/v1/tickets')
      .query({ pageSize: 1, after: second.body.meta.nextCursor });

    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([newest.id]);
    expect(second.headers['x-cache']).toBe('MISS');
    expect(second.body.data.map((t: { id: string }) => t.id)).toEqual([middle.id]);
    expect(third.headers['x-cache']).toBe('MISS');
    expect(third.body.data.map((t: { id: string }) => t.id)).toEqual([oldest.id]);
  });

  it('When searches differ only by q, then each is its own MISS with its own matches', async () => {
    const { app } = buildApp();
    const printer = await insertPastTicket(2, { subject: 'Printer on fire' });
    const invoice = await insertPastTicket(1, { subject: 'Invoice sent twice' });

    const first = await request(app).get('/api/v1/tickets?q=printer');
    const second = await request(app).get('/api/v1/tickets?q=invoice');

    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([printer.id]);
    expect(second.headers['x-cache']).toBe('MISS');
    expect(second.body.data.map((t: { id: string }) => t.id)).toEqual([invoice.id]);
  });

  it('When ?include=comments pages differ only by a filter (status, q), then each is its own MISS with only what matches', async () => {
    const { app } = buildApp();
    const printer = await insertPastTicket(2, { subject: 'Printer on fire' });
    const invoice = await insertPastTicket(1, { subject: 'Invoice sent twice', status: 'pending' });
    const withComments = (filter: string) =>
      request(app).get(`/api/v1/tickets?include=comments${filter}`);

    const all = await withComments('');
    const pending = await withComments('&status=pending');
    const searched = await withComments('&q=printer');

    expect(all.body.data).toHaveLength(2);
    expect(pending.headers['x-cache']).toBe('MISS');
    expect(pending.body.data.map((t: { id: string }) => t.id)).toEqual([invoice.id]);
    expect(searched.headers['x-cache']).toBe('MISS');
    expect(searched.body.data.map((t: { id: string }) => t.id)).toEqual([printer.id]);
  });

  it('When the query is invalid, then 400 and nothing is cached', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?pageSize=abc');

    expect(res.status).toBe(400);
    expect(res.headers['x-cache']).toBeUndefined();
  });
});
