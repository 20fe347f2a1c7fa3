import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { TicketStore } from '../../src/tickets/tickets.store.ts';
import { buildApp, JSON_UTF8 } from '../support/helpers.ts';

const SECRET = 'connection to db-primary:5432 refused (password=hunter2)';

/** A store whose every method fails, the way a real database sometimes does. */
function brokenStore(failure: unknown): TicketStore {
  const fail = async (): Promise<never> => {
    throw failure;
  };
  return { create: fail, findById: fail, list: fail, update: fail, remove: fail };
}

describe('GET /api/v1/tickets when the store throws', () => {
  it('When a handler throws, then 500 INTERNAL_ERROR with a generic message that leaks nothing', async () => {
    const { app } = buildApp({ store: brokenStore(new Error(SECRET)) });

    const res = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' },
    });
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('tickets.store'); // no stack frames either
  });

  it('When a handler throws, then the error is logged with method, path and stack', async () => {
    const { app, deps } = buildApp({ store: brokenStore(new Error(SECRET)) });

    await request(app).get('/api/v1/tickets?status=open');

    const failed = deps.logs.errors();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.msg).toContain('GET /api/v1/tickets?status=open');
    expect(failed[0]?.err).toMatchObject({ stack: expect.stringContaining(SECRET) });
  });

  it('When something that is not an Error is thrown, then it is still a clean 500', async () => {
    const { app, deps } = buildApp({ store: brokenStore('just a string') });

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

    expect(deps.logs.errors()).toEqual([]);
  });
});

describe('Every request', () => {
  it('When a response is sent, then one access-log line with method, path and status', async () => {
    const { app, deps } = buildApp();

    await request(app).get('/api/v1/health').expect(200);

    expect(deps.logs.lines().map((line) => line.msg)).toContainEqual(
      expect.stringMatching(/^GET \/api\/v1\/health 200 /),
    );
  });
});
