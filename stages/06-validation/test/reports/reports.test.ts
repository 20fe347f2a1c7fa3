import { threadId } from 'node:worker_threads';
import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { computeTicketStats } from '../../src/reports/ticket-stats.ts';
import { authAs, buildApp, request } from '../support/helpers.ts';

describe('GET /api/v1/reports/ticket-stats', () => {
  it('When computed blocking and in a worker, then both give the same stats (from different threads)', async () => {
    const { app, deps } = buildApp();

    const blocking = await request(app).get('/api/v1/reports/ticket-stats?mode=blocking');
    const worker = await request(app).get('/api/v1/reports/ticket-stats?mode=worker');

    expect(blocking.status).toBe(200);
    expect(worker.status).toBe(200);
    expect(blocking.body.data.mode).toBe('blocking');
    expect(worker.body.data.mode).toBe('worker');
    expect(worker.body.data.stats).toEqual(blocking.body.data.stats);
    expect(worker.body.data.stats.tickets).toBe(deps.config.reportSize);
    expect(blocking.body.data.threadId).toBe(threadId); // this thread: the app runs in the test's
    expect(worker.body.data.threadId).not.toBe(threadId);
  });

  it('When no mode is given, then a worker thread (the safe choice) does the work', async () => {
    const { app } = buildApp({ config: { reportSize: 1000 } });

    const res = await request(app).get('/api/v1/reports/ticket-stats');

    expect(res.status).toBe(200);
    expect(res.body.data.mode).toBe('worker');
    // The worker names its own thread: not the one this test (and the app) runs on.
    expect(res.body.data.threadId).toEqual(expect.any(Number));
    expect(res.body.data.threadId).not.toBe(threadId);
  });

  it('When the mode is unknown, then 400 INVALID_QUERY names it', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/reports/ticket-stats?mode=fast');

    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'INVALID_QUERY',
      message: expect.any(String),
      fields: { mode: expect.any(String) },
    });
  });
});

// Seconds of CPU per call, and `mode=blocking` stalls everyone on purpose (stage 01's lesson):
// not something to leave to anyone who can reach the port.
describe('GET /api/v1/reports/ticket-stats: who may run it', () => {
  it('When nobody signs in, then 401 and no report is computed', async () => {
    const { app } = buildApp();

    const res = await supertest(app).get('/api/v1/reports/ticket-stats?mode=blocking');

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.data).toBeUndefined();
  });

  it.each([
    ['a customer', FIXTURE_USERS.alice],
    ['an agent', FIXTURE_USERS.bob],
  ])('When %s asks, then 403 FORBIDDEN: admins only', async (_, user) => {
    const { app } = buildApp();

    const res = await supertest(app)
      .get('/api/v1/reports/ticket-stats?mode=blocking')
      .set(authAs(user));

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('computeTicketStats', () => {
  it('When run twice with the same size, then the result is identical (deterministic data)', () => {
    const first = computeTicketStats(5000);
    const second = computeTicketStats(5000);

    expect(second).toEqual(first);
    expect(Object.values(first.byStatus).reduce((a, b) => a + b, 0)).toBe(5000);
    expect(first.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
