import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { describe, expect, it } from 'vitest';
import { activityOf, insertPastTicket } from '../support/db-helpers.ts';
import { allTickets, buildApp, CALLER, createTicket, request } from '../support/helpers.ts';

describe('PATCH /api/v1/tickets/:id', () => {
  it('When some fields are sent, then 200 and only those fields (and updatedAt) change', async () => {
    const { app, deps } = buildApp();
    const created = await insertPastTicket(1, { subject: 'Old subject', priority: 'low' });

    const res = await request(app)
      .patch(`/api/v1/tickets/${created.id}`)
      .send({ priority: 'critical' });

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      ...created,
      priority: 'critical',
      updatedAt: expect.any(String),
    });
    expect(res.body.data.updatedAt > created.updatedAt).toBe(true);
    expect(await deps.tickets.findById(created.id)).toEqual(res.body.data);
  });

  it('When a resolved ticket is reopened, then resolvedAt is cleared and one status_changed activity row names the caller', async () => {
    const { app } = buildApp();
    const created = await createTicket(app);
    await request(app).post(`/api/v1/tickets/${created.id}/resolve`).expect(200);

    const reopened = await request(app)
      .patch(`/api/v1/tickets/${created.id}`)
      .send({ status: 'open' });

    expect(reopened.status).toBe(200);
    expect(reopened.body.data).toMatchObject({ status: 'open', resolvedAt: null });
    expect(await activityOf(created.id)).toEqual([
      expect.objectContaining({ type: 'resolved' }),
      expect.objectContaining({
        type: 'status_changed',
        actorId: CALLER.id,
        details: { from: 'resolved', to: 'open' },
      }),
    ]);
  });

  it('When PATCH sends status resolved, then 422 naming the resolve action, and nothing changes', async () => {
    const { app, deps } = buildApp();
    const created = await createTicket(app);

    const res = await request(app)
      .patch(`/api/v1/tickets/${created.id}`)
      .send({ status: 'resolved', priority: 'high' });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('POST /api/v1/tickets/:id/resolve'),
      fields: { status: expect.stringContaining('/resolve') },
    });
    expect(await deps.tickets.findById(created.id)).toEqual(created);
    expect(await activityOf(created.id)).toEqual([]);
  });

  it('When only other fields change, or the status is sent unchanged, then no activity row', async () => {
    const { app } = buildApp();
    const created = await createTicket(app);

    await request(app).patch(`/api/v1/tickets/${created.id}`).send({ priority: 'low' }).expect(200);
    await request(app).patch(`/api/v1/tickets/${created.id}`).send({ status: 'open' }).expect(200);

    expect(await activityOf(created.id)).toEqual([]);
  });

  it.each([
    ['create', 'POST'],
    ['update', 'PATCH'],
  ])(
    'When assigneeId names a user of another account (%s), then 422 on assigneeId and nothing is stored',
    async (_, method) => {
      const { app, deps } = buildApp();
      const created = await createTicket(app);
      const outsider = FIXTURE_USERS.dave.id; // globex; the caller and the ticket are acme's

      const res =
        method === 'POST'
          ? await request(app).post('/api/v1/tickets').send({ subject: 'x', assigneeId: outsider })
          : await request(app)
              .patch(`/api/v1/tickets/${created.id}`)
              .send({ assigneeId: outsider });

      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: { assigneeId: expect.any(String) },
      });
      expect(await allTickets(deps.tickets)).toEqual([created]);
    },
  );

  it.each([
    [{ status: 'done' }, 'status'],
    [{ subject: '' }, 'subject'],
    [{ priority: 3 }, 'priority'],
    [{ createdBy: 'someone-else' }, 'createdBy'],
  ])('When the body is %j, then 422 names %s and the ticket is unchanged', async (body, field) => {
    const { app, deps } = buildApp();
    const created = await createTicket(app);

    const res = await request(app).patch(`/api/v1/tickets/${created.id}`).send(body);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toEqual({ [field]: expect.any(String) });
    expect(await deps.tickets.findById(created.id)).toEqual(created);
  });

  it('When the body is an empty object, then 422 asking for at least one field', async () => {
    const { app, deps } = buildApp();
    const created = await createTicket(app);

    const res = await request(app).patch(`/api/v1/tickets/${created.id}`).send({});

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/at least one/);
    expect(await deps.tickets.findById(created.id)).toEqual(created);
  });

  it('When the ticket does not exist, then 404 NOT_FOUND', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .patch('/api/v1/tickets/00000000-0000-4000-8000-000000000000')
      .send({ priority: 'high' });

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
