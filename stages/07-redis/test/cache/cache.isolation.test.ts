import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { insertPastTicket } from '../support/db-helpers.ts';
import { authAs, buildApp } from '../support/helpers.ts';

const { alice, bob, carol, dave, erin } = FIXTURE_USERS;

// LESSON (tested): the key holds the caller's scope. These tests warm the cache as one caller,
// then ask as another: a key missing the account or the customer would serve the first answer.
describe('Cache keys: one caller never gets another caller’s answer', () => {
  it('When two accounts ask for the dashboard, then each gets its own, each cached apart', async () => {
    const { app } = buildApp();
    await insertPastTicket(2); // acme (the factory's default account)
    await insertPastTicket(1, { accountId: dave.accountId, createdBy: dave.id });
    await insertPastTicket(1, { accountId: dave.accountId, createdBy: dave.id });
    await supertest(app).get('/api/v1/stats').set(authAs(bob)).expect(200);

    const globex = await supertest(app).get('/api/v1/stats').set(authAs(erin));
    const acme = await supertest(app).get('/api/v1/stats').set(authAs(bob));

    expect(globex.headers['x-cache']).toBe('MISS');
    expect(globex.body.data.total).toBe(2);
    expect(acme.headers['x-cache']).toBe('HIT');
    expect(acme.body.data.total).toBe(1);
  });

  it('When an agent warmed the list, then a customer of the same account still sees only their own tickets', async () => {
    const { app } = buildApp();
    const own = await insertPastTicket(2, { createdBy: alice.id });
    await insertPastTicket(1, { createdBy: carol.id });
    const agent = await supertest(app).get('/api/v1/tickets').set(authAs(bob));
    expect(agent.body.data).toHaveLength(2);

    const customer = await supertest(app).get('/api/v1/tickets').set(authAs(alice));

    expect(customer.headers['x-cache']).toBe('MISS');
    expect(customer.body.data.map((t: { id: string }) => t.id)).toEqual([own.id]);
  });

  it('When a customer warmed the dashboard, then an agent gets the whole account’s', async () => {
    const { app } = buildApp();
    await insertPastTicket(2, { createdBy: alice.id });
    await insertPastTicket(1, { createdBy: carol.id });
    const customer = await supertest(app).get('/api/v1/stats').set(authAs(alice));
    expect(customer.body.data.total).toBe(1);

    const agent = await supertest(app).get('/api/v1/stats').set(authAs(bob));

    expect(agent.headers['x-cache']).toBe('MISS');
    expect(agent.body.data.total).toBe(2);
  });

  it('When an agent and an admin of one account ask, then they share one answer (same scope)', async () => {
    const { app } = buildApp();
    await insertPastTicket(1);
    await supertest(app).get('/api/v1/stats').set(authAs(bob));

    const admin = await supertest(app).get('/api/v1/stats').set(authAs(carol));

    expect(admin.headers['x-cache']).toBe('HIT');
  });

  it('When one account writes, then the other account’s cached answer stays a HIT', async () => {
    const { app } = buildApp();
    const ticket = await insertPastTicket(1);
    await supertest(app).get('/api/v1/stats').set(authAs(erin));

    await supertest(app).post(`/api/v1/tickets/${ticket.id}/resolve`).set(authAs(bob)).expect(200);
    const globex = await supertest(app).get('/api/v1/stats').set(authAs(erin));

    expect(globex.headers['x-cache']).toBe('HIT');
  });
});
