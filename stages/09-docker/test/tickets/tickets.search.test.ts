import { describe, expect, it } from 'vitest';
import { countRows, insertPastTicket } from '../support/db-helpers.ts';
import { buildApp, createTicket, request } from '../support/helpers.ts';

const DROP = "'; DROP TABLE tickets; --";

async function subjectsFor(q: string): Promise<{ status: number; subjects: string[] }> {
  const { app } = buildApp();
  const res = await request(app).get('/api/v1/tickets').query({ q });
  const subjects = (res.body.data ?? []).map((t: { subject: string }) => t.subject).sort();
  return { status: res.status, subjects };
}

describe('GET /api/v1/tickets?q=…', () => {
  it('When q is part of some subjects, then only those, in any case, and meta counts only them', async () => {
    await insertPastTicket(3, { subject: 'Cannot LOG IN after reset' });
    await insertPastTicket(2, { subject: 'Login page is slow' });
    await insertPastTicket(1, { subject: 'Invoice is wrong' });
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/tickets?q=log%20in&pageSize=5');

    expect(res.status).toBe(200);
    expect(res.body.data.map((t: { subject: string }) => t.subject)).toEqual([
      'Cannot LOG IN after reset',
    ]);
    expect(res.body.meta).toEqual({
      page: 1,
      pageSize: 5,
      total: 1,
      totalExact: true,
      totalPages: 1,
      hasMore: false,
      nextCursor: null,
    });
  });

  it('When q is a DROP TABLE payload, then the table survives and the text is matched literally', async () => {
    await insertPastTicket(2, { subject: 'Printer jammed' });
    await insertPastTicket(1, { subject: `Customer typed ${DROP} in the form` });

    const result = await subjectsFor(DROP);

    expect(result).toEqual({ status: 200, subjects: [`Customer typed ${DROP} in the form`] });
    expect(await countRows('tickets')).toBe(2);
  });

  it('When q is 100%, then only subjects with a literal percent sign after 100, not 100 and anything', async () => {
    await insertPastTicket(2, { subject: 'Discount shows 100% off' });
    await insertPastTicket(1, { subject: 'Sent 1000 invoices twice' });

    expect(await subjectsFor('100%')).toEqual({
      status: 200,
      subjects: ['Discount shows 100% off'],
    });
  });

  it('When q is user_id, then only subjects with a literal underscore, not any one character', async () => {
    await insertPastTicket(2, { subject: 'Field user_id is empty' });
    await insertPastTicket(1, { subject: 'Field user id is empty' });

    expect(await subjectsFor('user_id')).toEqual({
      status: 200,
      subjects: ['Field user_id is empty'],
    });
  });

  it.each([
    ['two letters', 'ab'],
    ['a wildcard alone', '%'],
    ['letters apart', 'a b c'],
    ['punctuation', '!?!'],
  ])(
    'When q has no 3 letters or digits in a row (%s), then 400 INVALID_QUERY naming q',
    async (_, q) => {
      const { app } = buildApp();

      const res = await request(app).get('/api/v1/tickets').query({ q });

      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'INVALID_QUERY',
        fields: { q: expect.stringContaining('3 letters or digits in a row') },
      });
    },
  );

  it('When q is only spaces, then it is no filter at all', async () => {
    await insertPastTicket(2);
    await insertPastTicket(1);

    expect((await subjectsFor('   ')).subjects).toHaveLength(2);
  });

  it('When q is given twice or is longer than a subject can be, then 400 INVALID_QUERY naming q', async () => {
    const { app } = buildApp();

    const twice = await request(app).get('/api/v1/tickets?q=a&q=b');
    const long = await request(app)
      .get('/api/v1/tickets')
      .query({ q: 'x'.repeat(201) });

    for (const res of [twice, long]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'INVALID_QUERY',
        fields: { q: expect.any(String) },
      });
    }
  });

  it('When q contains U+0000 (%00), then 400 INVALID_QUERY naming q, not a database error', async () => {
    const { app } = buildApp();
    await createTicket(app, { subject: 'Login broken' });

    const res = await request(app).get('/api/v1/tickets?q=Login%00');

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'INVALID_QUERY',
      fields: { q: expect.stringContaining('U+0000') },
    });
  });
});
