import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { describe, expect, it } from 'vitest';
import { createPgCommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { AppError } from '../../src/errors.ts';
import { COUNT_CAP } from '../../src/tickets/tickets.search.ts';
import { insertTicket, useTestPool } from '../support/db-helpers.ts';

const pool = useTestPool();
const comments = createPgCommentRepository(pool);

describe('create', () => {
  it('When the ticket exists, then the comment is stored and returned with an ISO timestamp', async () => {
    const ticket = await insertTicket(pool);

    const comment = await comments.create({
      ticketId: ticket.id,
      authorId: FIXTURE_USERS.bob.id,
      body: 'Looking into it.',
    });

    expect(comment).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ticketId: ticket.id,
      authorId: FIXTURE_USERS.bob.id,
      body: 'Looking into it.',
      createdAt: expect.stringMatching(/Z$/),
    });
    expect(await comments.listByTicket(ticket.id)).toEqual([comment]);
  });

  it('When the ticket does not exist, then the foreign-key error maps to 404 NOT_FOUND', async () => {
    const attempt = comments.create({
      ticketId: '0c000000-0000-4000-8000-00000000dead',
      authorId: FIXTURE_USERS.bob.id,
      body: 'Anyone there?',
    });

    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'Ticket not found.' });
  });
});

describe('listByTicket', () => {
  it('When a ticket has comments, then only its own come back, oldest first', async () => {
    const ticket = await insertTicket(pool);
    const other = await insertTicket(pool);
    await pool.query(
      `INSERT INTO comments (ticket_id, author_id, body, created_at) VALUES
         ($1, $3, 'second', '2026-03-01T10:00:02Z'), ($1, $3, 'first', '2026-03-01T10:00:01Z'),
         ($2, $3, 'elsewhere', '2026-03-01T10:00:00Z')`,
      [ticket.id, other.id, FIXTURE_USERS.alice.id],
    );

    const listed = await comments.listByTicket(ticket.id);

    expect(listed.map((c) => c.body)).toEqual(['first', 'second']);
  });

  it('When the ticket id is not a UUID, then an empty list', async () => {
    expect(await comments.listByTicket('42')).toEqual([]);
  });
});

describe('pageByTicket', () => {
  it('When a page is asked for, then that slice of its own, oldest first, and the count of all', async () => {
    const ticket = await insertTicket(pool);
    const other = await insertTicket(pool);
    await pool.query(
      `INSERT INTO comments (ticket_id, author_id, body, created_at) VALUES
         ($1, $3, 'third', '2026-03-01T10:00:03Z'), ($1, $3, 'first', '2026-03-01T10:00:01Z'),
         ($1, $3, 'second', '2026-03-01T10:00:02Z'), ($2, $3, 'elsewhere', '2026-03-01T10:00:00Z')`,
      [ticket.id, other.id, FIXTURE_USERS.alice.id],
    );

    const first = await comments.pageByTicket(ticket.id, { page: 1, pageSize: 2 });
    const page = await comments.pageByTicket(ticket.id, { page: 2, pageSize: 2 });

    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.body)).toEqual(['third']);
    expect([first.hasMore, page.hasMore]).toEqual([true, false]);
  });

  it('When a ticket has more comments than COUNT_CAP, then the count stops there and says so', async () => {
    const ticket = await insertTicket(pool);
    await pool.query(
      `INSERT INTO comments (ticket_id, author_id, body)
       SELECT $1, $2, 'Comment ' || g FROM generate_series(1, $3::int) AS g`,
      [ticket.id, FIXTURE_USERS.alice.id, COUNT_CAP + 1],
    );

    const page = await comments.pageByTicket(ticket.id, { page: 1, pageSize: 20 });

    expect(page).toMatchObject({ total: COUNT_CAP, totalExact: false, hasMore: true });
  });
});
