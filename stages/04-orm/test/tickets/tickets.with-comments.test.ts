import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { insertTicket, useTestPool } from '../support/db-helpers.ts';

const pool = useTestPool();
const repo = createPgTicketRepository(pool);

/** `count` tickets, a minute apart, each with `perTicket` comments a second apart. */
async function ticketsWithComments(count: number, perTicket: number) {
  const base = Date.parse('2026-02-01T00:00:00.000Z');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(base + i * 60_000).toISOString();
    ids.push((await insertTicket(pool, { createdAt: at, updatedAt: at })).id);
  }
  await pool.query(
    `INSERT INTO comments (ticket_id, author_id, body, created_at)
     SELECT t.id, $2, 'Comment ' || n, t.created_at + n * interval '1 second'
     FROM tickets t CROSS JOIN generate_series(1, $1::int) AS n`,
    [perTicket, FIXTURE_USERS.bob.id],
  );
  return ids.reverse(); // newest first, as lists return them
}

async function queriesDuring<T>(work: () => Promise<T>) {
  const counter = countQueries(pg.Client);
  try {
    const result = await work();
    // A counter that saw nothing (patched the wrong pg, or the query went elsewhere) would pass
    // every "at most" below: it must have seen the list's own statement.
    expect(counter.statements.some((sql) => /FROM tickets/.test(sql))).toBe(true);
    return { result, count: counter.count };
  } finally {
    counter.stop();
  }
}

describe('listWithComments', () => {
  it('When the page holds 1 ticket, then at most 2 queries are sent', async () => {
    await ticketsWithComments(1, 3);

    const { result, count } = await queriesDuring(() =>
      repo.listWithComments({ page: 1, pageSize: 50 }),
    );

    expect(result.items).toHaveLength(1);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
  });

  it('When the page holds 50 tickets, then still at most 2 queries, and each has its own comments oldest first', async () => {
    const ids = await ticketsWithComments(50, 3);

    const { result, count } = await queriesDuring(() =>
      repo.listWithComments({ page: 1, pageSize: 50 }),
    );

    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
    expect(result.total).toBe(50);
    expect(result.items.map((t) => t.id)).toEqual(ids);
    for (const ticket of result.items) {
      expect(ticket.comments.map((c) => c.body)).toEqual(['Comment 1', 'Comment 2', 'Comment 3']);
      expect(ticket.comments.every((c) => c.ticketId === ticket.id)).toBe(true);
    }
  });

  it('When comments come back, then they have the Comment shape with ISO timestamps', async () => {
    const [id] = await ticketsWithComments(1, 1);

    const { items } = await repo.listWithComments({ page: 1, pageSize: 10 });

    expect(items[0]?.comments).toEqual([
      {
        id: expect.any(String),
        ticketId: id,
        authorId: FIXTURE_USERS.bob.id,
        body: 'Comment 1',
        createdAt: '2026-02-01T00:00:01.000Z',
      },
    ]);
  });

  it('When a ticket has no comments, then its comments are an empty array', async () => {
    await ticketsWithComments(2, 0);

    const { items } = await repo.listWithComments({ page: 1, pageSize: 10 });

    expect(items.map((t) => t.comments)).toEqual([[], []]);
  });

  it('When filters and paging are given, then the tickets are the ones list() returns', async () => {
    await ticketsWithComments(5, 1);
    await insertTicket(pool, { status: 'closed' });
    const query = { page: 2, pageSize: 2, status: 'open' as const };

    const withComments = await repo.listWithComments(query);
    const plain = await repo.list(query);

    expect(withComments.items.map(({ comments, commentCount, ...ticket }) => ticket)).toEqual(
      plain.items,
    );
    expect(withComments.total).toBe(plain.total);
  });

  it('When the page is past the end, then no items but the full total', async () => {
    await ticketsWithComments(3, 1);

    expect(await repo.listWithComments({ page: 9, pageSize: 10 })).toEqual({
      items: [],
      total: 3,
      totalExact: true,
      hasMore: false,
    });
  });
});
