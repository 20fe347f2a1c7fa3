import { FIXTURE_USERS } from '@backend-path/shared/seed/fixtures';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { authAs, buildApp } from '../support/helpers.ts';

describe('GET /api/v1/health', () => {
  it('When asked, then 200 { data: { status: "ok" } }, never cached', async () => {
    const { app } = buildApp();

    const res = await request(app).get('/api/v1/health');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { status: 'ok' } });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('GET /api/v1/metrics/event-loop', () => {
  it('When samples exist, then p50/p99/max are how late the 10 ms timer ran, in ms; reading twice shows the same window', async () => {
    const histogram = {
      count: 42,
      // nanoseconds between two ticks of a 10 ms timer
      percentile: (p: number) => (p === 50 ? 10_500_000 : 135_250_000),
      max: 260_000_000,
      reset: vi.fn(),
    };
    const { app } = buildApp({ eventLoopDelay: histogram });

    const res = await request(app).get('/api/v1/metrics/event-loop');
    const again = await request(app).get('/api/v1/metrics/event-loop');

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ samples: 42, p50Ms: 0.5, p99Ms: 125.25, maxMs: 250 });
    expect(again.body).toEqual(res.body);
    expect(histogram.reset).not.toHaveBeenCalled(); // a GET changes nothing
  });

  it('When an admin POSTs /metrics/event-loop/reset, then 204 and a new window starts', async () => {
    const histogram = { count: 7, percentile: () => 0, max: 0, reset: vi.fn() };
    const { app } = buildApp({ eventLoopDelay: histogram });

    const res = await request(app)
      .post('/api/v1/metrics/event-loop/reset')
      .set(authAs(FIXTURE_USERS.carol));

    expect(res.status).toBe(204);
    expect(histogram.reset).toHaveBeenCalledTimes(1);
  });

  it('When anyone else POSTs /metrics/event-loop/reset, then 401 or 403 and the window is kept: it is what someone is reading', async () => {
    const histogram = { count: 7, percentile: () => 0, max: 0, reset: vi.fn() };
    const { app } = buildApp({ eventLoopDelay: histogram });
    const reset = () => request(app).post('/api/v1/metrics/event-loop/reset');

    const anonymous = await reset();
    const agent = await reset().set(authAs(FIXTURE_USERS.bob));

    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    expect(agent.status).toBe(403);
    expect(agent.body.error.code).toBe('FORBIDDEN');
    expect(histogram.reset).not.toHaveBeenCalled();
  });

  it('When there are no samples yet, then zeros instead of the empty histogram’s garbage', async () => {
    const histogram = { count: 0, percentile: () => 0, max: 0, reset: vi.fn() };
    const { app } = buildApp({ eventLoopDelay: histogram });

    const res = await request(app).get('/api/v1/metrics/event-loop');

    expect(res.body.data).toEqual({ samples: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });
});
