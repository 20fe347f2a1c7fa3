import { countQueries } from '@backend-path/shared/testing/query-counter';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { countRows } from '../support/db-helpers.ts';
import { buildApp, createTicket, JSON_UTF8, request } from '../support/helpers.ts';

const ROUTES = [
  ['get', '/api/v1/tickets/:id'],
  ['patch', '/api/v1/tickets/:id'],
  ['delete', '/api/v1/tickets/:id'],
  ['post', '/api/v1/tickets/:id/resolve'],
  ['get', '/api/v1/tickets/:id/comments'],
  ['post', '/api/v1/tickets/:id/comments'],
  ['get', '/api/v1/tickets/:id/comments/:id'],
] as const;

describe('Routes with an id in the path', () => {
  it.each(ROUTES)(
    'When %s %s gets an id that is not a UUID, then 400 INVALID_ID and no ticket query is sent',
    async (method, path) => {
      const { app } = buildApp();
      const counter = countQueries(pg.Client);
      try {
        const res = await request(app)
          [method](path.replaceAll(':id', encodeURIComponent("1' OR '1'='1")))
          .send({ subject: 'x', body: 'x' });

        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toBe(JSON_UTF8);
        expect(res.body).toEqual({ error: { code: 'INVALID_ID', message: expect.any(String) } });
        // The caller's lookup is the only statement: the id never reached SQL.
        expect(counter.statements).toEqual([expect.stringContaining('FROM users')]);
      } finally {
        counter.stop();
      }
    },
  );

  it('When the comment id is malformed but the ticket id is fine, then 400 INVALID_ID too', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    const res = await request(app).get(`/api/v1/tickets/${ticket.id}/comments/42`);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ID');
  });

  it('When a write names a malformed id, then nothing is stored or changed', async () => {
    const { app } = buildApp();
    const ticket = await createTicket(app);

    await request(app).patch('/api/v1/tickets/abc').send({ subject: 'Changed' }).expect(400);
    await request(app).delete('/api/v1/tickets/abc').expect(400);
    await request(app).post('/api/v1/tickets/abc/comments').send({ body: 'Hi' }).expect(400);

    expect((await request(app).get(`/api/v1/tickets/${ticket.id}`)).body.data).toEqual(ticket);
    expect(await countRows('tickets')).toBe(1);
    expect(await countRows('comments')).toBe(0);
  });
});
