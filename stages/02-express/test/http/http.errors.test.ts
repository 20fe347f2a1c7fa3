import { describe, expect, it } from 'vitest';
import type { TicketRepository } from '../../src/tickets/tickets.repository.ts';
import { buildApp, JSON_UTF8, request } from '../support/helpers.ts';

const SECRET = 'connection to db-primary:5432 refused (password=hunter2)';

/** A repository whose every method fails, the way a real database sometimes does. */
function brokenRepository(failure: unknown): TicketRepository {
  const fail = async (): Promise<never> => {
    throw failure;
  };
  return {
    create: fail,
    findById: fail,
    list: fail,
    update: fail,
    remove: fail,
    countOpenByCreator: fail,
    resolve: fail,
  };
}

describe('GET /api/v1/tickets when the repository throws', () => {
  it('When a handler throws, then 500 INTERNAL_ERROR with a generic message that leaks nothing', async () => {
    const { app } = buildApp({ tickets: brokenRepository(new Error(SECRET)) });

    const res = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' },
    });
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('tickets.'); // no stack frames either
  });

  it('When a handler throws, then the error is logged with method, path, request id and stack', async () => {
    const { app, deps } = buildApp({ tickets: brokenRepository(new Error(SECRET)) });

    const res = await request(app).get('/api/v1/tickets?status=open');

    const failed = deps.logs.errors();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.msg).toContain('GET /api/v1/tickets?status=open');
    expect(failed[0]?.msg).toContain(res.headers['x-request-id']); // the id the client can report
    expect(failed[0]?.err).toMatchObject({ stack: expect.stringContaining(SECRET) });
  });

  it('When something that is not an Error is thrown, then it is still a clean 500', async () => {
    const { app, deps } = buildApp({ tickets: brokenRepository('just a string') });

    const res = await request(app).post('/api/v1/tickets').send({ subject: 'Will fail' });

    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL_ERROR');
    expect(deps.logs.errors()[0]?.err).toBe('just a string');
  });
});

describe('Client errors (4xx)', () => {
  it('When the client is at fault, then nothing is logged as an error', async () => {
    const { app, deps } = buildApp();

    await request(app).get('/api/v1/tickets/nope').expect(404);
    await request(app).post('/api/v1/tickets').send({}).expect(422);
    await request(app)
      .post('/api/v1/tickets')
      .set('Content-Type', 'application/json')
      .send('{')
      .expect(400);

    expect(deps.logs.errors()).toEqual([]);
  });
});

describe('Every request', () => {
  it('When a response is sent, then one access-log line with method, path, status, time and request id', async () => {
    const { app, deps } = buildApp();

    const res = await request(app).get('/api/v1/health').expect(200);

    const lines = deps.logs.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(/^GET \/api\/v1\/health 200 \d+\.\dms /);
    expect(lines[0]?.msg).toMatch(new RegExp(`${res.headers['x-request-id']}$`));
  });
});
