import { FIXTURE_ACCOUNTS, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { countQueries } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { COUNT_CAP } from '../../src/tickets/tickets.search.ts';
import {
  BOB_ACTS,
  buildNewTicket,
  insertTicket,
  ticketOf,
  useTestPool,
} from '../support/db-helpers.ts';

const pool = useTestPool();
const repo = createPgTicketRepository(pool);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** `count` of alice's tickets in one statement: the open-ticket limit is not the point here. */
async function insertMany(count: number): Promise<void> {
  await pool.query(
    `INSERT INTO tickets (account_id, created_by, subject)
     SELECT $1, $2, 'Bulk ticket ' || g FROM generate_series(1, $3::int) AS g`,
    [FIXTURE_USERS.alice.accountId, FIXTURE_USERS.alice.id, count],
  );
}

describe('create', () => {
  it('When a valid ticket is created, then it comes back open with an id and ISO timestamps, and the row is stored', async () => {
    const input = buildNewTicket({ priority: 'high', assigneeId: FIXTURE_USERS.bob.id });

    const ticket = ticketOf(await repo.create(input, 10));

    expect(ticket).toMatchObject({ ...input, status: 'open', resolvedAt: null });
    expect(ticket.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ticket.createdAt).toMatch(ISO);
    expect(ticket.updatedAt).toBe(ticket.createdAt);
    const { rows } = await pool.query('SELECT subject, priority FROM tickets WHERE id = $1', [
      ticket.id,
    ]);
    expect(rows).toEqual([{ subject: input.subject, priority: 'high' }]);
  });
});

describe('findById', () => {
  it('When the ticket exists, then it is returned in the shared Ticket shape', async () => {
    const stored = await insertTicket(pool, { status: 'resolved', createdAt: minutesAgo(5) });

    const found = await repo.findById(stored.id);

    expect(found).toEqual(stored);
  });

  it('When no ticket has the id, then null', async () => {
    expect(await repo.findById('0c000000-0000-4000-8000-00000000dead')).toBeNull();
  });

  it('When the id is not a UUID, then null without sending a query', async () => {
    const counter = countQueries(pg.Client);
    try {
      expect(await repo.findById('not-a-uuid')).toBeNull();
      expect(counter.count).toBe(0);
    } finally {
      counter.stop();
    }
  });
});

describe('list', () => {
  it('When there are more tickets than a page, then pages hold them newest first and total counts all', async () => {
    const oldest = await insertTicket(pool, { createdAt: minutesAgo(3), updatedAt: minutesAgo(3) });
    const middle = await insertTicket(pool, { createdAt: minutesAgo(2), updatedAt: minutesAgo(2) });
    const newest = await insertTicket(pool, { createdAt: minutesAgo(1), updatedAt: minutesAgo(1) });

    const first = await repo.list({ page: 1, pageSize: 2 });
    const second = await repo.list({ page: 2, pageSize: 2 });

    expect(first.items.map((t) => t.id)).toEqual([newest.id, middle.id]);
    expect(second.items.map((t) => t.id)).toEqual([oldest.id]);
    expect([first.total, second.total]).toEqual([3, 3]);
    expect([first.hasMore, second.hasMore]).toEqual([true, false]);
  });

  it('When exactly COUNT_CAP tickets match, then total counts them all and says it is exact', async () => {
    await insertMany(COUNT_CAP);

    const page = await repo.list({ page: 1, pageSize: 20 });

    expect(page).toMatchObject({ total: COUNT_CAP, totalExact: true, hasMore: true });
    expect(page.items).toHaveLength(20);
  });

  it('When more than COUNT_CAP tickets match, then total stops at COUNT_CAP and says it is a lower bound', async () => {
    await insertMany(COUNT_CAP + 1);

    const first = await repo.list({ page: 1, pageSize: 20 });
    const last = await repo.list({ page: 51, pageSize: 20 });

    expect(first).toMatchObject({ total: COUNT_CAP, totalExact: false, hasMore: true });
    // Past what was counted, the pages go on: the 1,001st ticket is on page 51.
    expect(last).toMatchObject({ total: COUNT_CAP, totalExact: false, hasMore: false });
    expect(last.items).toHaveLength(1);
  });

  it('When tickets share a created_at, then the larger id comes first on every call and page', async () => {
    const sameTime = minutesAgo(1);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await insertTicket(pool, { createdAt: sameTime, updatedAt: sameTime })).id);
    }
    const expected = [...ids].sort().reverse();

    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(await repo.list({ page, pageSize: 2 }));

    expect(pages.flatMap((p) => p.items.map((t) => t.id))).toEqual(expected);
  });

  it('When a status is given, then only tickets in that status are listed and counted', async () => {
    await insertTicket(pool, { status: 'open' });
    const pending = await insertTicket(pool, { status: 'pending' });
    await insertTicket(pool, { status: 'closed' });

    const page = await repo.list({ page: 1, pageSize: 10, status: 'pending' });

    expect(page).toEqual({ items: [pending], total: 1, totalExact: true, hasMore: false });
  });

  it('When an accountId is given, then only that account is listed', async () => {
    await insertTicket(pool);
    const globex = await insertTicket(pool, {
      accountId: FIXTURE_ACCOUNTS.globex.id,
      createdBy: FIXTURE_USERS.dave.id,
    });

    const page = await repo.list({ page: 1, pageSize: 10, accountId: FIXTURE_ACCOUNTS.globex.id });

    expect(page).toEqual({ items: [globex], total: 1, totalExact: true, hasMore: false });
  });

  it('When q is given, then subjects containing it in any case are listed', async () => {
    const match = await insertTicket(pool, { subject: 'Cannot LOG IN after reset' });
    await insertTicket(pool, { subject: 'Invoice is wrong' });

    const page = await repo.list({ page: 1, pageSize: 10, q: 'log in' });

    expect(page).toEqual({ items: [match], total: 1, totalExact: true, hasMore: false });
  });

  it('When the page is past the end, then no items but the full total', async () => {
    await insertTicket(pool);

    expect(await repo.list({ page: 3, pageSize: 10 })).toEqual({
      items: [],
      total: 1,
      totalExact: true,
      hasMore: false,
    });
  });
});

describe('update', () => {
  it('When fields change, then they are stored, updatedAt moves and the rest stays', async () => {
    const stored = await insertTicket(pool, {
      createdAt: minutesAgo(10),
      updatedAt: minutesAgo(10),
    });

    const updated = ticketOf(
      await repo.update(stored.id, { subject: 'New subject', priority: 'critical' }, BOB_ACTS),
    );

    expect(updated).toEqual({
      ...stored,
      subject: 'New subject',
      priority: 'critical',
      updatedAt: expect.any(String),
    });
    expect((updated?.updatedAt ?? '') > stored.updatedAt).toBe(true);
    expect(await repo.findById(stored.id)).toEqual(updated);
  });

  it('When the status becomes resolved and then open again, then resolvedAt is stamped and cleared', async () => {
    const stored = await insertTicket(pool, {
      createdAt: minutesAgo(10),
      updatedAt: minutesAgo(10),
    });

    const resolved = await repo.update(stored.id, { status: 'resolved' }, BOB_ACTS);
    const reopened = await repo.update(stored.id, { status: 'open' }, BOB_ACTS);

    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: expect.stringMatching(ISO) });
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null });
  });

  it('When a resolved ticket is closed, then resolvedAt is kept', async () => {
    const stored = await insertTicket(pool, {
      createdAt: minutesAgo(10),
      updatedAt: minutesAgo(10),
    });
    const resolved = ticketOf(await repo.update(stored.id, { status: 'resolved' }, BOB_ACTS));

    const closed = await repo.update(stored.id, { status: 'closed' }, BOB_ACTS);

    expect(closed).toMatchObject({ status: 'closed', resolvedAt: resolved?.resolvedAt });
  });

  it('When the assignee is cleared, then assigneeId is null', async () => {
    const stored = await insertTicket(pool, { assigneeId: FIXTURE_USERS.bob.id });

    expect(await repo.update(stored.id, { assigneeId: null }, BOB_ACTS)).toMatchObject({
      assigneeId: null,
    });
  });

  it('When no ticket has the id, then null', async () => {
    expect(
      await repo.update('0c000000-0000-4000-8000-00000000dead', { subject: 'x' }, BOB_ACTS),
    ).toBeNull();
  });
});

describe('remove', () => {
  it('When the ticket exists, then true, and it is gone with its comments', async () => {
    const stored = await insertTicket(pool);
    await pool.query('INSERT INTO comments (ticket_id, author_id, body) VALUES ($1, $2, $3)', [
      stored.id,
      FIXTURE_USERS.bob.id,
      'On it.',
    ]);

    expect(await repo.remove(stored.id, FIXTURE_USERS.bob.id)).toBe(true);

    expect(await repo.findById(stored.id)).toBeNull();
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM comments');
    expect(rows[0].n).toBe(0);
  });

  it('When no ticket has the id, then false', async () => {
    expect(await repo.remove('0c000000-0000-4000-8000-00000000dead', FIXTURE_USERS.bob.id)).toBe(
      false,
    );
  });
});

describe('countOpenByCreator', () => {
  it('When a user has tickets in several statuses, then only their open ones count', async () => {
    await insertTicket(pool, { status: 'open' });
    await insertTicket(pool, { status: 'open' });
    await insertTicket(pool, { status: 'pending' });
    await insertTicket(pool, { status: 'resolved' });
    await insertTicket(pool, { createdBy: FIXTURE_USERS.carol.id, status: 'open' });

    expect(await repo.countOpenByCreator(FIXTURE_USERS.alice.id)).toBe(2);
    expect(await repo.countOpenByCreator(FIXTURE_USERS.bob.id)).toBe(0);
  });
});

describe('resolve', () => {
  it('When an open ticket is resolved, then it is resolved with a timestamp and one activity row names the actor', async () => {
    const stored = await insertTicket(pool, {
      createdAt: minutesAgo(10),
      updatedAt: minutesAgo(10),
    });

    const resolved = ticketOf(await repo.resolve(stored.id, FIXTURE_USERS.bob.id));

    expect(resolved).toMatchObject({ id: stored.id, status: 'resolved' });
    expect(resolved?.resolvedAt).toMatch(ISO);
    expect(resolved?.updatedAt).toBe(resolved?.resolvedAt);
    expect(await repo.findById(stored.id)).toEqual(resolved);
    const { rows } = await pool.query('SELECT ticket_id, actor_id, type, details FROM activity');
    expect(rows).toEqual([
      {
        ticket_id: stored.id,
        actor_id: FIXTURE_USERS.bob.id,
        type: 'resolved',
        details: { from: 'open' },
      },
    ]);
  });

  it('When no ticket has the id, then null and no activity', async () => {
    expect(
      await repo.resolve('0c000000-0000-4000-8000-00000000dead', FIXTURE_USERS.bob.id),
    ).toBeNull();

    const { rows } = await pool.query('SELECT count(*)::int AS n FROM activity');
    expect(rows[0].n).toBe(0);
  });
});
