import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { allTickets, buildApp, createTicket } from '../support/helpers.ts';

const UNKNOWN_USER = '0b000000-0000-4000-8000-0000000000ff';

describe('Ticket routes without a known caller (X-User-Id)', () => {
  const ROUTES = [
    ['get', '/api/v1/tickets'],
    ['post', '/api/v1/tickets'],
    ['get', '/api/v1/tickets/:id'],
    ['patch', '/api/v1/tickets/:id'],
    ['delete', '/api/v1/tickets/:id'],
    ['post', '/api/v1/tickets/:id/resolve'],
  ] as const;

  it.each(ROUTES)(
    'When %s %s has no X-User-Id, then 401 UNAUTHENTICATED and nothing changes',
    async (method, path) => {
      const { app, deps } = buildApp();
      const ticket = await createTicket(app);

      const res = await supertest(app)
        [method](path.replace(':id', ticket.id))
        .send({ subject: 'Anonymous' });

      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });
      expect(await allTickets(deps.tickets)).toEqual([ticket]);
    },
  );

  it.each([
    ['an id nobody has', UNKNOWN_USER],
    ['an empty header', ''],
    ['not an id at all', 'alice'],
  ])('When X-User-Id is %s, then 401 UNAUTHENTICATED', async (_case, userId) => {
    const { app } = buildApp();

    const res = await supertest(app).get('/api/v1/tickets').set('X-User-Id', userId);

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('When X-User-Id names a fixture user, then the request acts as that user', async () => {
    const { app } = buildApp();

    const res = await supertest(app)
      .post('/api/v1/tickets')
      .set('X-User-Id', FIXTURE_USERS.erin.id)
      .send({ subject: 'Erin here' });

    expect(res.status).toBe(201);
    expect(res.body.data.createdBy).toBe(FIXTURE_USERS.erin.id);
  });
});

describe('Routes that need no caller', () => {
  it.each(['/api/v1/health', '/api/v1/metrics/event-loop'])(
    'When %s is asked without X-User-Id, then 200',
    async (path) => {
      const { app } = buildApp();

      const res = await supertest(app).get(path);

      expect(res.status).toBe(200);
    },
  );
});
