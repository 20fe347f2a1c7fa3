import { TICKET_LIMITS } from '@backend-path/shared/domain/tickets';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import { buildCreateTicketInput } from '@backend-path/shared/testing/factories';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { allTickets, authAs, buildApp, CALLER, JSON_UTF8, request } from '../support/helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /api/v1/tickets', () => {
  it('When the body is a valid ticket, then 201 with the ticket and a Location that resolves to it', async () => {
    const { app, deps } = buildApp();
    const input = buildCreateTicketInput({ priority: 'high' });

    const res = await request(app).post('/api/v1/tickets').send(input);

    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body.data).toMatchObject({ ...input, status: 'open', resolvedAt: null });
    expect(res.body.data.id).toMatch(UUID);
    expect(res.headers.location).toBe(`/api/v1/tickets/${res.body.data.id}`);
    const followed = await request(app).get(res.headers.location as string);
    expect(followed.status).toBe(200);
    expect(followed.body.data).toEqual(res.body.data);
    expect(await allTickets(deps.tickets)).toEqual([res.body.data]);
  });

  it('When optional fields are left out, then the server fills defaults, the caller and timestamps', async () => {
    const { app } = buildApp();

    const res = await request(app).post('/api/v1/tickets').send({ subject: 'Printer on fire' });

    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      description: '',
      priority: 'medium',
      assigneeId: null,
      createdBy: CALLER.id,
      accountId: CALLER.accountId,
    });
    expect(res.body.data.createdAt).toBe(res.body.data.updatedAt);
    expect(new Date(res.body.data.createdAt).toISOString()).toBe(res.body.data.createdAt);
  });

  it('When another user creates a ticket, then it is theirs: their id and their account', async () => {
    const { app, deps } = buildApp();
    const { dave } = FIXTURE_USERS;

    const res = await supertest(app)
      .post('/api/v1/tickets')
      .set(authAs(dave))
      .send({ subject: 'Globex printer' });

    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ createdBy: dave.id, accountId: dave.accountId });
    expect((await deps.tickets.findById(res.body.data.id))?.createdBy).toBe(dave.id);
  });

  it('When the subject has surrounding spaces, then it is stored trimmed', async () => {
    const { app, deps } = buildApp();

    const res = await request(app).post('/api/v1/tickets').send({ subject: '  Login broken  ' });

    expect(res.status).toBe(201);
    expect(res.body.data.subject).toBe('Login broken');
    expect((await deps.tickets.findById(res.body.data.id))?.subject).toBe('Login broken');
  });

  it('When the subject is missing, then 422 VALIDATION_FAILED names it and nothing is stored', async () => {
    const { app, deps } = buildApp();

    const res = await request(app).post('/api/v1/tickets').send({ priority: 'low' });

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.error.fields)).toEqual(['subject']);
    expect(await allTickets(deps.tickets)).toEqual([]);
  });

  it.each([
    ['blank', '   '],
    ['not a string', 42],
    ['too long', 'x'.repeat(TICKET_LIMITS.subjectMaxLength + 1)],
  ])('When the subject is %s, then 422 with fields.subject', async (_case, subject) => {
    const { app, deps } = buildApp();

    const res = await request(app).post('/api/v1/tickets').send({ subject });

    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual({ subject: expect.any(String) });
    expect(await allTickets(deps.tickets)).toEqual([]);
  });

  it('When the subject is exactly at the limit, then 201', async () => {
    const { app } = buildApp();
    const subject = 'x'.repeat(TICKET_LIMITS.subjectMaxLength);

    const res = await request(app).post('/api/v1/tickets').send({ subject });

    expect(res.status).toBe(201);
  });

  it.each([
    ['description', 'x'.repeat(TICKET_LIMITS.descriptionMaxLength + 1)],
    ['description', ['not', 'a', 'string']],
    ['priority', 'urgent'],
    ['assigneeId', 'bob'],
    ['status', 'open'], // the server decides the status of a new ticket
    ['color', 'red'],
  ])('When %s is %j, then 422 with only that field named', async (field, value) => {
    const { app, deps } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .send({ subject: 'Valid subject', [field]: value });

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toEqual({ [field]: expect.any(String) });
    expect(await allTickets(deps.tickets)).toEqual([]);
  });

  it('When several fields are wrong, then every one of them is listed at once', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .send({ subject: '', priority: 'urgent', extra: true });

    expect(res.status).toBe(422);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['extra', 'priority', 'subject']);
  });

  it('When assigneeId is a UUID that no user has, then 422 naming assigneeId', async () => {
    const { app, deps } = buildApp();

    const res = await request(app)
      .post('/api/v1/tickets')
      .send({ subject: 'Assigned to nobody', assigneeId: '0b000000-0000-4000-8000-00000000dead' });

    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Some fields are invalid.',
      fields: { assigneeId: 'Assignee must be an agent of your account.' },
    });
    expect(res.text).not.toMatch(/tickets_assignee_id_fkey|violates|users/);
    expect(deps.logs.errors()).toEqual([]);
    expect(await allTickets(deps.tickets)).toEqual([]);
  });

  it('When assigneeId is a UUID or null, then it is accepted', async () => {
    const { app } = buildApp();

    const assigned = await request(app)
      .post('/api/v1/tickets')
      .send({ subject: 'Assigned', assigneeId: FIXTURE_USERS.bob.id });
    const unassigned = await request(app)
      .post('/api/v1/tickets')
      .send({ subject: 'Unassigned', assigneeId: null });

    expect(assigned.status).toBe(201);
    expect(assigned.body.data.assigneeId).toBe(FIXTURE_USERS.bob.id);
    expect(unassigned.status).toBe(201);
    expect(unassigned.body.data.assigneeId).toBeNull();
  });
});
