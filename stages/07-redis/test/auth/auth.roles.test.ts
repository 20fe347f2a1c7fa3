import type { Ticket } from '@backend-path/shared/domain/tickets';
import type { User, UserRole } from '@backend-path/shared/domain/users';
import { FIXTURE_USER_LIST, FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import type { Express } from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { insertPastTicket, testPool } from '../support/db-helpers.ts';
import { authAs, buildApp } from '../support/helpers.ts';

// LESSON: the role matrix, as data. Every role × every route that needs a caller, on a ticket
// of the caller's own account that alice (the customer) opened, so only the ROLE decides.
// README.md shows the same table; a row changed here must change there.
const BY_ROLE: Record<UserRole, User> = {
  customer: FIXTURE_USERS.alice,
  agent: FIXTURE_USERS.bob,
  admin: FIXTURE_USERS.carol,
};

interface Fixture {
  ticket: Ticket;
  commentId: string;
}

type Send = (app: Express, as: User, f: Fixture) => supertest.Test;

const newUser = (n: number) => ({
  email: `new-${n}@acme.test`,
  password: 'a long and honest passphrase',
  name: 'New Agent',
  role: 'agent',
});
let counter = 0;

async function countUsers(): Promise<number> {
  const { rows } = await testPool().query('SELECT count(*)::int AS n FROM users');
  return rows[0].n;
}

const MATRIX: [string, Send, customer: number, agent: number, admin: number][] = [
  [
    'GET /tickets',
    (app, as) => supertest(app).get('/api/v1/tickets').set(authAs(as)),
    200,
    200,
    200,
  ],
  [
    'POST /tickets',
    (app, as) => supertest(app).post('/api/v1/tickets').set(authAs(as)).send({ subject: 'Hi' }),
    201,
    201,
    201,
  ],
  [
    'GET /tickets/:id',
    (app, as, f) => supertest(app).get(`/api/v1/tickets/${f.ticket.id}`).set(authAs(as)),
    200,
    200,
    200,
  ],
  [
    'PATCH /tickets/:id',
    (app, as, f) =>
      supertest(app)
        .patch(`/api/v1/tickets/${f.ticket.id}`)
        .set(authAs(as))
        .send({ priority: 'high' }),
    403,
    200,
    200,
  ],
  [
    'PATCH /tickets/:id (assign)',
    (app, as, f) =>
      supertest(app)
        .patch(`/api/v1/tickets/${f.ticket.id}`)
        .set(authAs(as))
        .send({ assigneeId: FIXTURE_USERS.bob.id }),
    403,
    200,
    200,
  ],
  [
    'DELETE /tickets/:id',
    (app, as, f) => supertest(app).delete(`/api/v1/tickets/${f.ticket.id}`).set(authAs(as)),
    403,
    403,
    204,
  ],
  [
    'POST /tickets/:id/resolve',
    (app, as, f) => supertest(app).post(`/api/v1/tickets/${f.ticket.id}/resolve`).set(authAs(as)),
    403,
    200,
    200,
  ],
  [
    'GET /tickets/:id/comments',
    (app, as, f) => supertest(app).get(`/api/v1/tickets/${f.ticket.id}/comments`).set(authAs(as)),
    200,
    200,
    200,
  ],
  [
    'POST /tickets/:id/comments',
    (app, as, f) =>
      supertest(app)
        .post(`/api/v1/tickets/${f.ticket.id}/comments`)
        .set(authAs(as))
        .send({ body: 'Any news?' }),
    201,
    201,
    201,
  ],
  [
    'GET /tickets/:id/comments/:commentId',
    (app, as, f) =>
      supertest(app).get(`/api/v1/tickets/${f.ticket.id}/comments/${f.commentId}`).set(authAs(as)),
    200,
    200,
    200,
  ],
  [
    'POST /users',
    (app, as) => supertest(app).post('/api/v1/users').set(authAs(as)).send(newUser(++counter)),
    403,
    403,
    201,
  ],
  [
    'GET /users/:id (a colleague)',
    (app, as) => supertest(app).get(`/api/v1/users/${FIXTURE_USERS.bob.id}`).set(authAs(as)),
    404,
    200,
    200,
  ],
  ['GET /me', (app, as) => supertest(app).get('/api/v1/me').set(authAs(as)), 200, 200, 200],
  [
    'POST /auth/logout-all',
    (app, as) => supertest(app).post('/api/v1/auth/logout-all').set(authAs(as)),
    204,
    204,
    204,
  ],
];

const CASES = MATRIX.flatMap(([route, send, customer, agent, admin]) =>
  (
    [
      ['customer', customer],
      ['agent', agent],
      ['admin', admin],
    ] as const
  ).map(([role, status]) => ({ route, send, role, status })),
);

describe('the role matrix', () => {
  it.each(CASES)('When a(n) $role calls $route, then $status', async ({ send, role, status }) => {
    const { app, deps } = buildApp();
    const ticket = await insertPastTicket(1, {
      accountId: FIXTURE_USERS.alice.accountId,
      createdBy: FIXTURE_USERS.alice.id,
    });
    const comment = await supertest(app)
      .post(`/api/v1/tickets/${ticket.id}/comments`)
      .set(authAs(FIXTURE_USERS.alice))
      .send({ body: 'Printer still on fire' })
      .expect(201);

    const res = await send(app, BY_ROLE[role], { ticket, commentId: comment.body.data.id });

    expect(res.status).toBe(status);
    if (status === 403) {
      expect(res.body.error).toEqual({ code: 'FORBIDDEN', message: expect.any(String) });
      // Refused before anything was done: the ticket is as it was, and no user was added.
      expect(await deps.tickets.findById(ticket.id)).toEqual(ticket);
      expect(await countUsers()).toBe(FIXTURE_USER_LIST.length);
    }
  });
});
