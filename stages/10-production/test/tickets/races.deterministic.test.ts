import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closePool, createPool, type DbPool } from '../../src/db/pool.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import { MAX_OPEN_TICKETS_PER_USER as MAX } from '../../src/tickets/tickets.service.ts';
import {
  activityOf,
  BOB_ACTS,
  buildNewTicket,
  insertPastTicket,
  isPglite,
  testDatabaseUrl,
  testPool,
} from '../support/db-helpers.ts';
import { hasSettled, pauseAfter, sessionBlockedBy } from '../support/interleave.ts';

const { alice, bob, carol } = FIXTURE_USERS;

// LESSON: a race test that fires two promises and hopes they collide passes whether or not
// the lock exists, most of the time. Here the test ORDERS the interleaving: transaction A is
// paused right after it took its lock; B is started and PostgreSQL is asked whether B now waits
// on A (pg_blocking_pids); only then A goes on. Remove the FOR UPDATE from the repository and
// these fail every time, not one run in fifty (README: exercises).
describe('check-then-write under a lock, with the interleaving under the test’s control', () => {
  let poolA: DbPool;
  beforeEach(async (context) => {
    // PGlite runs one transaction at a time for every connection: B could not even start.
    if (await isPglite()) context.skip();
    poolA = createPool(testDatabaseUrl());
  });
  afterEach(() => poolA && closePool(poolA));

  it('When resolve B starts while resolve A holds the row lock, then B waits for A, then sees resolved and is refused; one activity row', async () => {
    const ticket = await insertPastTicket(5);
    const a = pauseAfter(poolA, /FROM tickets WHERE id = \$1/);
    const repoA = createPgTicketRepository(a.pool);
    const repoB = createPgTicketRepository(testPool());

    const first = repoA.resolve(ticket.id, bob.id);
    const pidA = await a.paused;
    const second = repoB.resolve(ticket.id, carol.id);
    try {
      expect(await sessionBlockedBy(pidA)).toMatchObject({ waitEventType: 'Lock' });
      expect(await hasSettled(second)).toBe(false);
    } finally {
      a.release(); // also when B never waited: A must not hold its lock past the test
    }

    expect(await first).toMatchObject({ status: 'resolved' });
    expect(await second).toEqual({ refused: 'finished', status: 'resolved' });
    expect(await activityOf(ticket.id)).toEqual([
      expect.objectContaining({ type: 'resolved', actorId: bob.id }),
    ]);
  });

  it('When create B starts while create A holds the creator’s lock at 9 open, then B waits, then counts 10 and is refused', async () => {
    for (let i = 0; i < MAX - 1; i++) await insertPastTicket(10 + i, { createdBy: alice.id });
    const a = pauseAfter(poolA, /FROM users WHERE id = \$1/);
    const repoA = createPgTicketRepository(a.pool);
    const repoB = createPgTicketRepository(testPool());

    const first = repoA.create(buildNewTicket(), MAX);
    const pidA = await a.paused;
    const second = repoB.create(buildNewTicket(), MAX);
    try {
      expect(await sessionBlockedBy(pidA)).toMatchObject({ waitEventType: 'Lock' });
      expect(await hasSettled(second)).toBe(false);
    } finally {
      a.release(); // also when B never waited: A must not hold its lock past the test
    }

    expect(await first).toMatchObject({ status: 'open', createdBy: alice.id });
    expect(await second).toEqual({ refused: 'open-limit', open: MAX });
    expect(await repoB.countOpenByCreator(alice.id)).toBe(MAX);
  });

  it('When a reopen B starts while create A holds the creator’s lock at 9 open, then B waits, then is refused', async () => {
    for (let i = 0; i < MAX - 1; i++) await insertPastTicket(10 + i, { createdBy: alice.id });
    const closed = await insertPastTicket(30, { createdBy: alice.id, status: 'closed' });
    const a = pauseAfter(poolA, /FROM users WHERE id = \$1/);
    const repoA = createPgTicketRepository(a.pool);
    const repoB = createPgTicketRepository(testPool());

    const first = repoA.create(buildNewTicket(), MAX);
    const pidA = await a.paused;
    const second = repoB.update(closed.id, { status: 'open' }, BOB_ACTS);
    try {
      expect(await sessionBlockedBy(pidA)).toMatchObject({ waitEventType: 'Lock' });
    } finally {
      a.release(); // also when B never waited: A must not hold its lock past the test
    }

    expect(await first).toMatchObject({ status: 'open' });
    expect(await second).toEqual({ refused: 'open-limit', open: MAX });
    expect(await repoB.findById(closed.id)).toMatchObject({ status: 'closed' });
    expect(await activityOf(closed.id)).toEqual([]);
  });
});
