import { describe, expect, it } from 'vitest';
import { seedDevData } from '../../src/db/seed.ts';
import { useTestPool } from '../support/db-helpers.ts';
import { buildApp, request } from '../support/helpers.ts';

// The README's curl examples run on `db:seed`'s data, which requests.http (run on an empty
// database) never sees: these are the claims that depend on it.
const pool = useTestPool();

describe("README's Try it, on the seed data", () => {
  it('When q=LOGOUT is asked, then it finds the seed\'s "Unexpected logout …" tickets, in any case', async () => {
    await seedDevData(pool);
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?q=LOGOUT');

    expect(res.status).toBe(200);
    expect(res.body.meta.total).toBeGreaterThan(0);
    for (const ticket of res.body.data) expect(ticket.subject).toMatch(/logout/i);
  });

  it('When q=100% is asked, then only subjects with a literal "100%" match (the seed has none)', async () => {
    await seedDevData(pool);
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?q=100%25');

    expect(res.status).toBe(200);
    expect(res.body.meta.total).toBe(0);
  });

  it('When q=% is asked, then 400: nothing for the search index to look up', async () => {
    await seedDevData(pool);
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?q=%25');

    expect(res.status).toBe(400);
    expect(res.body.error.fields.q).toContain('3 letters or digits in a row');
  });
});
