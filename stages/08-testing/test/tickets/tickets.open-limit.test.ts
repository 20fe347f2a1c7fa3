import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { holdingALock } from '@backend-path/shared/testing/holding-a-lock';
import type { Express } from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { MAX_OPEN_TICKETS_PER_USER } from '../../src/tickets/tickets.service.ts';
import { isPglite, testDatabaseUrl } from '../support/db-helpers.ts';
import {
  allTickets,
  authAs,
  buildApp,
  CALLER,
  createTicket,
  request,
  statusesOf,
} from '../support/helpers.ts';

/** One after the other: the check-then-create race is not what these tests are about. */
async function openTickets(app: Express, count: number) {
  const created = [];
  for (let i = 0; i < count; i++) created.push(await createTicket(app, { subject: `#${i}` }));
  return created;
}

describe('POST /api/v1/tickets: at most 10 open tickets per user', () => {
  it('When the caller already has 10 open tickets, then the 11th is 422 BUSINESS_RULE_VIOLATION and not stored', async () => {
    const { app, deps } = buildApp();
    await openTickets(app, MAX_OPEN_TICKETS_PER_USER);

    const res = await request(app).post('/api/v1/tickets').send({ subject: 'One too many' });

    expect(MAX_OPEN_TICKETS_PER_USER).toBe(10);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: { code: 'BUSINESS_RULE_VIOLATION', message: expect.stringContaining('limit is 10') },
    });
    expect(await allTickets(deps.tickets)).toHaveLength(10);
    expect(await deps.tickets.countOpenByCreator(CALLER.id)).toBe(10);
  });

  it('When one of the 10 is resolved, then the caller may open another', async () => {
    const { app, deps } = buildApp();
    const [first] = await openTickets(app, MAX_OPEN_TICKETS_PER_USER);
    await request(app).post(`/api/v1/tickets/${first?.id}/resolve`).expect(200);

    const res = await request(app).post('/api/v1/tickets').send({ subject: 'Room for one more' });

    expect(res.status).toBe(201);
    expect(await allTickets(deps.tickets)).toHaveLength(11);
    expect(await deps.tickets.countOpenByCreator(CALLER.id)).toBe(10);
  });

  it('When another user has 10 open tickets, then the caller is not limited by them', async () => {
    const { app } = buildApp();
    await openTickets(app, MAX_OPEN_TICKETS_PER_USER);

    const res = await supertest(app)
      .post('/api/v1/tickets')
      .set(authAs(FIXTURE_USERS.bob))
      .send({ subject: 'Bob has none yet' });

    expect(res.status).toBe(201);
  });

  it('When 20 creates arrive at once from a caller with 9 open tickets, then exactly 1 is created and 19 are 422', async (context) => {
    // PGlite serves every connection from one backend; with transactions open on several
    // connections at once it was seen answering the wrong connection (a caller lookup → 401).
    // The race needs a real server (stage 02 runs the same race in memory).
    if (await isPglite()) context.skip();
    const { app, deps } = buildApp();
    await openTickets(app, MAX_OPEN_TICKETS_PER_USER - 1);

    // Left to chance, twenty creates rarely all count before one inserts, so a missing lock
    // could pass. The test holds the caller's users row itself, FOR UPDATE: that stops each
    // create at its creator lock, and, without one, at its insert (the foreign-key check locks
    // the row too), after it has counted. It lets go once the pool's ten connections wait.
    const statuses = await holdingALock({
      url: testDatabaseUrl(),
      lock: 'SELECT 1 FROM users WHERE id = $1 FOR UPDATE',
      params: [CALLER.id],
      waiters: 10,
      send: () =>
        statusesOf(20, (i) =>
          request(app)
            .post('/api/v1/tickets')
            .send({ subject: `Race ${i}` }),
        ),
    });

    expect(statuses).toEqual([201, ...Array(19).fill(422)]);
    expect(await allTickets(deps.tickets)).toHaveLength(MAX_OPEN_TICKETS_PER_USER);
    expect(await deps.tickets.countOpenByCreator(CALLER.id)).toBe(MAX_OPEN_TICKETS_PER_USER);
  });

  it('When the creator has 10 open tickets, then reopening a closed one is 422 and it stays closed', async () => {
    const { app, deps } = buildApp();
    const [closed] = await openTickets(app, 1);
    await request(app)
      .patch(`/api/v1/tickets/${closed?.id}`)
      .send({ status: 'closed' })
      .expect(200);
    await openTickets(app, MAX_OPEN_TICKETS_PER_USER);

    const res = await request(app).patch(`/api/v1/tickets/${closed?.id}`).send({ status: 'open' });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'BUSINESS_RULE_VIOLATION',
      message: expect.stringContaining('limit is 10'),
    });
    expect(await deps.tickets.findById(closed?.id ?? '')).toMatchObject({ status: 'closed' });
    expect(await deps.tickets.countOpenByCreator(CALLER.id)).toBe(MAX_OPEN_TICKETS_PER_USER);
  });

  it('When 10 closed tickets are reopened at once and a create races them with 9 open, then exactly 1 succeeds', async (context) => {
    // PGlite serves every connection from one backend; with transactions open on several
    // connections at once it was seen answering the wrong connection (a caller lookup → 401).
    // The race needs a real server (stage 02 runs the same race in memory).
    if (await isPglite()) context.skip();
    const { app, deps } = buildApp();
    const closed = await openTickets(app, 10);
    for (const ticket of closed) {
      await request(app)
        .patch(`/api/v1/tickets/${ticket.id}`)
        .send({ status: 'closed' })
        .expect(200);
    }
    await openTickets(app, MAX_OPEN_TICKETS_PER_USER - 1);

    const statuses = await statusesOf(11, (i) =>
      i === 10
        ? request(app).post('/api/v1/tickets').send({ subject: 'New one' })
        : request(app).patch(`/api/v1/tickets/${closed[i]?.id}`).send({ status: 'open' }),
    );

    expect(statuses.filter((status) => status === 422)).toHaveLength(10);
    expect(statuses.filter((status) => status === 200 || status === 201)).toHaveLength(1);
    expect(await deps.tickets.countOpenByCreator(CALLER.id)).toBe(MAX_OPEN_TICKETS_PER_USER);
  });
});
