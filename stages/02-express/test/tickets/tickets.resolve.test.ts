import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createInMemoryTicketRepository } from '../../src/tickets/tickets.repository.ts';
import {
  buildApp,
  CALLER,
  createTicket,
  JSON_UTF8,
  request,
  statusesOf,
  steppingClock,
} from '../support/helpers.ts';

describe('POST /api/v1/tickets/:id/resolve', () => {
  it('When the ticket is open, then 200 with it resolved, resolvedAt set and the action recorded', async () => {
    const tickets = createInMemoryTicketRepository({ now: steppingClock() });
    const { app } = buildApp({ tickets });
    const created = await createTicket(app);

    const res = await request(app).post(`/api/v1/tickets/${created.id}/resolve`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body.data).toEqual({
      ...created,
      status: 'resolved',
      updatedAt: expect.any(String),
      resolvedAt: res.body.data.updatedAt,
    });
    expect(res.body.data.resolvedAt > created.createdAt).toBe(true);
    expect(await tickets.findById(created.id)).toEqual(res.body.data);
    expect(await tickets.activityOf(created.id)).toEqual([
      expect.objectContaining({ type: 'resolved', actorId: CALLER.id, details: { from: 'open' } }),
    ]);
  });

  it('When someone else resolves it, then the activity names them, not the creator', async () => {
    const tickets = createInMemoryTicketRepository();
    const { app } = buildApp({ tickets });
    const created = await createTicket(app);

    await supertest(app)
      .post(`/api/v1/tickets/${created.id}/resolve`)
      .set('X-User-Id', FIXTURE_USERS.bob.id)
      .expect(200);

    const [entry] = await tickets.activityOf(created.id);
    expect(entry?.actorId).toBe(FIXTURE_USERS.bob.id);
  });

  it.each(['resolved', 'closed'] as const)(
    'When the ticket is already %s, then 409 CONFLICT and nothing changes',
    async (status) => {
      const tickets = createInMemoryTicketRepository();
      const { app } = buildApp({ tickets });
      const created = await createTicket(app);
      if (status === 'resolved') {
        await request(app).post(`/api/v1/tickets/${created.id}/resolve`).expect(200);
      } else {
        await request(app).patch(`/api/v1/tickets/${created.id}`).send({ status }).expect(200);
      }
      const before = await tickets.findById(created.id);
      const activityBefore = await tickets.activityOf(created.id);

      const res = await request(app).post(`/api/v1/tickets/${created.id}/resolve`);

      expect(res.status).toBe(409);
      expect(res.body.error).toEqual({
        code: 'CONFLICT',
        message: expect.stringContaining(status),
      });
      expect(await tickets.findById(created.id)).toEqual(before);
      expect(await tickets.activityOf(created.id)).toEqual(activityBefore);
    },
  );

  it('When it is resolved twice, then only the first is recorded', async () => {
    const tickets = createInMemoryTicketRepository();
    const { app } = buildApp({ tickets });
    const created = await createTicket(app);

    await request(app).post(`/api/v1/tickets/${created.id}/resolve`).expect(200);
    await request(app).post(`/api/v1/tickets/${created.id}/resolve`).expect(409);

    expect(await tickets.activityOf(created.id)).toHaveLength(1);
  });

  it('When 10 resolves of one ticket arrive at once, then exactly one 200, nine 409, one activity row', async () => {
    const tickets = createInMemoryTicketRepository();
    const { app } = buildApp({ tickets });
    const created = await createTicket(app);

    const statuses = await statusesOf(10, () =>
      request(app).post(`/api/v1/tickets/${created.id}/resolve`),
    );

    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    expect(await tickets.activityOf(created.id)).toHaveLength(1);
  });

  it('When the ticket does not exist, then 404 NOT_FOUND', async () => {
    const { app } = buildApp();

    const res = await request(app).post(
      '/api/v1/tickets/00000000-0000-4000-8000-000000000000/resolve',
    );

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
