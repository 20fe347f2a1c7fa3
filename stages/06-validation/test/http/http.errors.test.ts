import { describe, expect, it } from 'vitest';
import { createPgCommentRepository } from '../../src/comments/comments.repository.pg.ts';
import { closePool, createPool } from '../../src/db/pool.ts';
import { createPgTicketRepository } from '../../src/tickets/tickets.repository.pg.ts';
import type { SearchableTicketRepository } from '../../src/tickets/tickets.search.ts';
import { createPgUserRepository } from '../../src/users/users.repository.pg.ts';
import { testPool } from '../support/db-helpers.ts';
import { buildApp, JSON_UTF8, request } from '../support/helpers.ts';

const SECRET = 'connection to db-primary:5432 refused (password=hunter2)';

/** A repository whose every method fails, the way a real database sometimes does. */
function brokenRepository(failure: unknown): SearchableTicketRepository {
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
    listWithComments: fail,
  };
}

describe('GET /api/v1/tickets when the repository throws', () => {
  it('When a handler throws, then 500 INTERNAL_ERROR with a generic message that leaks nothing', async () => {
    const failure = new Error(SECRET);
    const { app } = buildApp({ tickets: brokenRepository(failure) });

    const res = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe(JSON_UTF8);
    expect(res.body).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' },
    });
    expect(res.text).not.toContain('hunter2');
    // No stack either: the first frame of this very error (its file path) is nowhere in the body.
    const frame = failure.stack?.split('\n')[1]?.trim() ?? '';
    expect(frame).toMatch(/^at .*http\.errors\.test\.ts/);
    expect(res.text).not.toContain(frame.slice(3));
  });

  it('When a real PostgreSQL error is a bug (no descriptor), then 500 without its message, SQLSTATE or table', async () => {
    // A statement the database really rejects; the error has pg's own text and fields.
    const failure = (await testPool()
      .query('SELECT no_such_column FROM tickets')
      .then(
        () => expect.unreachable('expected PostgreSQL to reject it'),
        (error: unknown) => error,
      )) as { message: string; code: string };
    expect(failure).toMatchObject({
      code: '42703',
      message: expect.stringContaining('no_such_column'),
    });
    const { app, deps } = buildApp({ tickets: brokenRepository(failure) });

    const res = await request(app).get('/api/v1/tickets');

    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side.',
    });
    for (const leak of [failure.message, 'no_such_column', failure.code, 'tickets', 'at ']) {
      expect(res.text).not.toContain(leak);
    }
    // the log has it all
    expect(deps.logs.errors()[0]?.err).toMatchObject({
      message: failure.message,
      code: failure.code,
    });
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

describe('GET /api/v1/tickets when the database is down', () => {
  it('When PostgreSQL cannot be reached, then 503 SERVICE_UNAVAILABLE that leaks nothing, and it is logged', async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const dead = createPool('postgres://postgres:secret@127.0.0.1:1/backend_path');
    try {
      const { app, deps } = buildApp({
        tickets: createPgTicketRepository(dead),
        comments: createPgCommentRepository(dead),
        users: createPgUserRepository(dead),
      });

      const res = await request(app).get('/api/v1/tickets');

      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'The service is temporarily unavailable. Try again shortly.',
        },
      });
      expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|secret/);
      const failed = deps.logs.errors();
      expect(failed).toHaveLength(1);
      expect(failed[0]?.msg).toContain(res.headers['x-request-id']);
    } finally {
      await closePool(dead);
    }
  });
});

describe('Client errors (4xx)', () => {
  it('When the client is at fault, then nothing is logged as an error', async () => {
    const { app, deps } = buildApp();

    await request(app).get('/api/v1/tickets/nope').expect(400);
    await request(app).get('/api/v1/tickets/00000000-0000-4000-8000-000000000000').expect(404);
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
