import type { Ticket } from '@backend-path/shared/domain/tickets';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import supertest from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { countRows, insertPastTicket, testPool } from '../support/db-helpers.ts';
import { authAs, buildApp, request } from '../support/helpers.ts';

// LESSON: BOLA (OWASP API1). Erin is a perfectly authenticated agent, of Globex. Every id she
// sends that belongs to Acme must answer exactly like an id that does not exist.
const { alice, bob, carol, dave, erin } = FIXTURE_USERS;
const MISSING = '00000000-0000-4000-8000-000000000000';
let acmeTicket: Ticket;
let commentId: string;

/** The 404 body for `id`, with the id blanked: it must not differ between "missing" and "not yours". */
function blanked(body: unknown, id: string): string {
  return JSON.stringify(body).replaceAll(id, '<id>');
}

beforeEach(async () => {
  acmeTicket = await insertPastTicket(5, { accountId: alice.accountId, createdBy: alice.id });
  const { rows } = await testPool().query(
    "INSERT INTO comments (ticket_id, author_id, body) VALUES ($1, $2, 'Acme only') RETURNING id",
    [acmeTicket.id, alice.id],
  );
  commentId = rows[0].id;
});

describe('another account’s ticket', () => {
  const ROUTES = [
    ['GET', (id: string) => supertest(buildApp().app).get(`/api/v1/tickets/${id}`)],
    [
      'PATCH',
      (id: string) =>
        supertest(buildApp().app).patch(`/api/v1/tickets/${id}`).send({ priority: 'low' }),
    ],
    ['resolve', (id: string) => supertest(buildApp().app).post(`/api/v1/tickets/${id}/resolve`)],
    ['comments', (id: string) => supertest(buildApp().app).get(`/api/v1/tickets/${id}/comments`)],
    [
      'add a comment',
      (id: string) =>
        supertest(buildApp().app).post(`/api/v1/tickets/${id}/comments`).send({ body: 'Hi' }),
    ],
    [
      'one comment',
      (id: string) => supertest(buildApp().app).get(`/api/v1/tickets/${id}/comments/${commentId}`),
    ],
  ] as const;

  it.each(ROUTES)(
    'When a Globex agent sends %s for an Acme ticket, then 404, the same body as a missing one, nothing changed',
    async (_name, send) => {
      const theirs = await send(acmeTicket.id).set(authAs(erin));
      const missing = await send(MISSING).set(authAs(erin));

      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(blanked(theirs.body, acmeTicket.id)).toBe(blanked(missing.body, MISSING));
      expect(await buildApp().deps.tickets.findById(acmeTicket.id)).toEqual(acmeTicket);
      expect(await countRows('comments')).toBe(1);
      expect(await countRows('activity')).toBe(0);
    },
  );

  it('When a Globex admin deletes an Acme ticket, then 404 and it is still there', async () => {
    const { rows } = await testPool().query(
      `INSERT INTO users (account_id, email, name, role) VALUES ($1, 'boss@globex.test', 'Globex Boss', 'admin')
       RETURNING id, account_id AS "accountId", email, name, role, created_at AS "createdAt"`,
      [erin.accountId],
    );
    const { app, deps } = buildApp();

    const res = await supertest(app)
      .delete(`/api/v1/tickets/${acmeTicket.id}`)
      .set(authAs(rows[0]));

    expect(res.status).toBe(404);
    expect(await deps.tickets.findById(acmeTicket.id)).toEqual(acmeTicket);
  });

  it('When a Globex user lists tickets (with comments, with a search), then no Acme row is in any page', async () => {
    const { app } = buildApp();
    const globex = await insertPastTicket(1, { accountId: dave.accountId, createdBy: dave.id });

    for (const query of ['', '?include=comments', `?q=${encodeURIComponent(acmeTicket.subject)}`]) {
      const res = await supertest(app).get(`/api/v1/tickets${query}`).set(authAs(erin));

      expect(res.status).toBe(200);
      expect(res.body.data.map((t: Ticket) => t.accountId)).not.toContain(alice.accountId);
      expect(res.text).not.toContain(acmeTicket.id);
      if (query === '') expect(res.body.data.map((t: Ticket) => t.id)).toEqual([globex.id]);
    }
  });
});

describe('a customer sees only their own tickets', () => {
  it('When Alice asks for a ticket another Acme user opened, then 404', async () => {
    const { app } = buildApp();
    const bobs = await insertPastTicket(1, { accountId: bob.accountId, createdBy: bob.id });

    const res = await supertest(app).get(`/api/v1/tickets/${bobs.id}`).set(authAs(alice));
    const comments = await supertest(app)
      .get(`/api/v1/tickets/${bobs.id}/comments`)
      .set(authAs(alice));

    expect(res.status).toBe(404);
    expect(comments.status).toBe(404);
  });

  it('When Alice lists tickets, then only hers, while an agent of Acme sees every Acme ticket', async () => {
    const { app } = buildApp();
    const bobs = await insertPastTicket(1, { accountId: bob.accountId, createdBy: bob.id });

    const hers = await supertest(app).get('/api/v1/tickets').set(authAs(alice));
    const staff = await supertest(app).get('/api/v1/tickets').set(authAs(bob));

    expect(hers.body.data.map((t: Ticket) => t.id)).toEqual([acmeTicket.id]);
    expect(hers.body.meta.total).toBe(1);
    expect(staff.body.data.map((t: Ticket) => t.id).sort()).toEqual(
      [acmeTicket.id, bobs.id].sort(),
    );
  });

  it('When a customer sends an assigneeId, then 403: only staff assign', async () => {
    const { app, deps } = buildApp();

    const res = await supertest(app)
      .post('/api/v1/tickets')
      .set(authAs(alice))
      .send({ subject: 'Give it to Bob', assigneeId: bob.id });

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await deps.tickets.list({ page: 1, pageSize: 10 })).total).toBe(1);
  });
});

describe('assigneeId must be an agent of the caller’s account', () => {
  it.each([
    ['an agent of another account', erin.id],
    ['a customer of the same account', alice.id],
    ['an admin of the same account', carol.id],
  ])(
    'When a ticket is assigned to %s, then 422 on assigneeId and nothing changes',
    async (_case, assigneeId) => {
      const { app, deps } = buildApp();

      const created = await request(app).post('/api/v1/tickets').send({ subject: 'X', assigneeId });
      const patched = await request(app)
        .patch(`/api/v1/tickets/${acmeTicket.id}`)
        .send({ assigneeId });

      for (const res of [created, patched]) {
        expect(res.status).toBe(422);
        expect(res.body.error.fields).toEqual({
          assigneeId: 'Assignee must be an agent of your account.',
        });
      }
      expect(await deps.tickets.findById(acmeTicket.id)).toEqual(acmeTicket);
      expect(await countRows('tickets')).toBe(1);
    },
  );

  it('When a ticket is assigned to an agent of the same account, then it is', async () => {
    const { app } = buildApp();

    const res = await request(app)
      .patch(`/api/v1/tickets/${acmeTicket.id}`)
      .send({ assigneeId: bob.id });

    expect(res.status).toBe(200);
    expect(res.body.data.assigneeId).toBe(bob.id);
  });
});

describe('another account’s users', () => {
  it('When an Acme admin asks for a Globex user, then 404', async () => {
    const res = await request(buildApp().app).get(`/api/v1/users/${erin.id}`);

    expect(res.status).toBe(404);
  });

  it('When an Acme admin adds a user, then it is in Acme whatever the admin would like', async () => {
    const res = await request(buildApp().app).post('/api/v1/users').send({
      email: 'new.agent@acme.test',
      password: 'a long and honest passphrase',
      name: 'New Agent',
      role: 'agent',
    });

    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ accountId: carol.accountId, role: 'agent' });
    expect(res.headers.location).toBe(`/api/v1/users/${res.body.data.id}`);
    const { rows } = await testPool().query('SELECT account_id, role FROM users WHERE id = $1', [
      res.body.data.id,
    ]);
    expect(rows[0]).toEqual({ account_id: carol.accountId, role: 'agent' });
  });

  it.each([
    ['role admin', { role: 'admin' }, 'role'],
    ['an accountId', { role: 'agent', accountId: erin.accountId }, 'accountId'],
  ])(
    'When an admin adds a user with %s, then 422 and no user is added',
    async (_case, extra, field) => {
      const res = await request(buildApp().app)
        .post('/api/v1/users')
        .send({
          email: 'sneaky@acme.test',
          password: 'a long and honest passphrase',
          name: 'Sneaky',
          ...extra,
        });

      expect(res.status).toBe(422);
      expect(Object.keys(res.body.error.fields)).toEqual([field]);
      const { rows } = await testPool().query(
        "SELECT count(*)::int AS n FROM users WHERE email = 'sneaky@acme.test'",
      );
      expect(rows[0].n).toBe(0);
    },
  );
});
