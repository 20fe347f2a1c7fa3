import { describe, expect, it } from 'vitest';
import { activityOf, countRows } from '../support/db-helpers.ts';
import { allTickets, buildApp, CALLER, createTicket, request } from '../support/helpers.ts';

describe('DELETE /api/v1/tickets/:id', () => {
  it('When the ticket exists, then 204 with an empty body, and afterwards GET says 404', async () => {
    const { app, deps } = buildApp();
    const kept = await createTicket(app, { subject: 'Keep me' });
    const doomed = await createTicket(app, { subject: 'Delete me' });

    const res = await request(app).delete(`/api/v1/tickets/${doomed.id}`);

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    expect((await request(app).get(`/api/v1/tickets/${doomed.id}`)).status).toBe(404);
    expect(await allTickets(deps.tickets)).toEqual([kept]);
  });

  it('When the ticket has comments and activity, then the comments go with it and the activity stays, plus a deleted row', async () => {
    const { app } = buildApp();
    const kept = await createTicket(app);
    const doomed = await createTicket(app);
    for (const ticket of [kept, doomed]) {
      await request(app).post(`/api/v1/tickets/${ticket.id}/comments`).send({ body: 'Hi' });
      await request(app).post(`/api/v1/tickets/${ticket.id}/resolve`).expect(200);
    }

    await request(app).delete(`/api/v1/tickets/${doomed.id}`).expect(204);

    expect(await countRows('comments')).toBe(1);
    // The audit trail outlives the ticket (migrations/0006): who resolved it, who deleted it.
    expect(await activityOf(doomed.id)).toEqual([
      expect.objectContaining({ type: 'resolved', actorId: CALLER.id }),
      expect.objectContaining({
        type: 'deleted',
        actorId: CALLER.id,
        details: { subject: doomed.subject, status: 'resolved' },
      }),
    ]);
    expect(await activityOf(kept.id)).toHaveLength(1);
  });

  it('When the ticket does not exist (or was already deleted), then 404 NOT_FOUND', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);
    await request(app).delete(`/api/v1/tickets/${ticket.id}`).expect(204);

    const res = await request(app).delete(`/api/v1/tickets/${ticket.id}`);

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect((await activityOf(ticket.id)).map((entry) => entry.type)).toEqual(['deleted']);
  });
});
