import { threadId } from 'node:worker_threads';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { computeTicketStats } from '../../src/reports/ticket-stats.ts';
import { buildApp } from '../support/helpers.ts';

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
    expect(worker.body.data.stats.tickets).toBe(deps.reportSize);
    expect(blocking.body.data.threadId).toBe(threadId); // this thread: the app runs in the test's
    expect(worker.body.data.threadId).not.toBe(threadId);
  });

  it('When no mode is given, then a worker thread (the safe choice) does the work', async () => {
    const { app } = buildApp({ reportSize: 1000 });

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

describe('computeTicketStats', () => {
  it('When run twice with the same size, then the result is identical (deterministic data)', () => {
    const first = computeTicketStats(5000);
    const second = computeTicketStats(5000);

    expect(second).toEqual(first);
    expect(Object.values(first.byStatus).reduce((a, b) => a + b, 0)).toBe(5000);
    expect(first.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
