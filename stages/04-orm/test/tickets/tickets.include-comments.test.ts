import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import type { Express } from 'express';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { COMMENTS_PER_TICKET } from '../../src/tickets/tickets.search.ts';
import { insertPastTicket, testPool } from '../support/db-helpers.ts';
import { buildApp, request } from '../support/helpers.ts';

/** `count` tickets, newest first, each with `perTicket` comments by bob a second apart. */
async function ticketsWithComments(count: number, perTicket: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await insertPastTicket(count - i)).id);
  await testPool().query(
    `INSERT INTO comments (ticket_id, author_id, body, created_at)
     SELECT t.id, $2, 'Comment ' || n, t.created_at + n * interval '1 second'
     FROM tickets t CROSS JOIN generate_series(1, $1::int) AS n`,
    [perTicket, FIXTURE_USERS.bob.id],
  );
  return ids.reverse();
}

/** Sends one request and counts every statement the app sent to PostgreSQL meanwhile. */
async function getCounted(app: Express, path: string) {
  const counter = countQueries(pg.Client);
  try {
    const res = await request(app).get(path);
    return { res, queries: counter.count };
  } finally {
    counter.stop();
  }
}

describe('GET /api/v1/tickets?include=comments', () => {
  it.each([1, 50])(
    'When the page holds %i ticket(s), then at most 2 queries in all: the caller, then one for tickets and comments',
    async (count) => {
      await ticketsWithComments(count, 3);
      const { app } = buildApp();

      const { res, queries } = await getCounted(
        app,
        '/api/v1/tickets?include=comments&pageSize=50',
      );

      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(count);
      expect(queries).toBeGreaterThan(0); // the counter saw the app's pg at all
      expect(queries).toBeLessThanOrEqual(2);
    },
  );

  it('When tickets have comments, then each carries its own, oldest first', async () => {
    const ids = await ticketsWithComments(3, 2);
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?include=comments');

    expect(res.body.data.map((t: { id: string }) => t.id)).toEqual(ids);
    for (const ticket of res.body.data) {
      expect(ticket.comments).toEqual([
        expect.objectContaining({ ticketId: ticket.id, body: 'Comment 1' }),
        expect.objectContaining({ ticketId: ticket.id, body: 'Comment 2' }),
      ]);
    }
  });

  it('When include and filters are combined, then the same tickets and meta as without include', async () => {
    await ticketsWithComments(5, 1);
    await insertPastTicket(9, { subject: 'Closed one', status: 'closed' });
    const { app } = buildApp();
    const query = 'status=open&page=2&pageSize=2';

    const plain = await request(app).get(`/api/v1/tickets?${query}`);
    const included = await request(app).get(`/api/v1/tickets?${query}&include=comments`);

    expect(included.status).toBe(200);
    expect(included.body.meta).toEqual({
      ...plain.body.meta,
      commentsPerTicket: COMMENTS_PER_TICKET,
    });
    expect(
      included.body.data.map(
        ({ comments, commentCount, ...ticket }: { comments: unknown; commentCount: unknown }) =>
          ticket,
      ),
    ).toEqual(plain.body.data);
  });

  it('When a ticket has more comments than the cap, then the newest few, its count, and meta names the cap', async () => {
    const [id] = await ticketsWithComments(1, COMMENTS_PER_TICKET + 3);
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?include=comments');

    expect(res.status).toBe(200);
    expect(res.body.meta.commentsPerTicket).toBe(COMMENTS_PER_TICKET);
    const [ticket] = res.body.data;
    expect(ticket.id).toBe(id);
    expect(ticket.commentCount).toBe(COMMENTS_PER_TICKET + 3);
    expect(ticket.comments.map((c: { body: string }) => c.body)).toEqual(
      Array.from({ length: COMMENTS_PER_TICKET }, (_, i) => `Comment ${i + 4}`),
    );
  });

  it('When include names something else, then 400 INVALID_QUERY naming include', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?include=activity');

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'INVALID_QUERY',
      fields: { include: expect.any(String) },
    });
  });
});
