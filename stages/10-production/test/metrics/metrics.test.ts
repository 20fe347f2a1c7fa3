import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { buildApp, createTicket, request } from '../support/helpers.ts';

describe('GET /metrics (Prometheus)', () => {
  it('When tickets are read by id, then one series per route pattern, never per id', async () => {
    const { app } = buildApp();
    const first = await createTicket(app);
    const second = await createTicket(app);
    await request(app).get(`/api/v1/tickets/${first.id}`).expect(200);
    await request(app).get(`/api/v1/tickets/${second.id}`).expect(200);

    const res = await supertest(app).get('/metrics');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain(
      'http_requests_total{method="GET",route="/tickets/:id",status="200"} 2',
    );
    expect(res.text).toContain(
      'http_requests_total{method="POST",route="/tickets",status="201"} 2',
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/tickets\/:id",status="200"\} 2/,
    );
    expect(res.text).not.toContain(first.id);
    expect(res.text).toContain('nodejs_eventloop_lag_p99_seconds');
  });

  it('When requests fail or match no route, then errors are counted, and unknown paths share one label', async () => {
    const { app } = buildApp({
      tickets: {
        ...buildApp().deps.tickets,
        list: async () => {
          throw new Error('boom');
        },
      },
    });
    await request(app).get('/api/v1/tickets').expect(500);
    await request(app).get('/api/v1/no-such-thing-1').expect(404);
    await request(app).get('/api/v1/no-such-thing-2').expect(404);
    await request(app).post('/api/v1/tickets').send({}).expect(422);

    const res = await supertest(app).get('/metrics');

    expect(res.text).toContain(
      'http_request_errors_total{method="GET",route="/tickets",status="500"} 1',
    );
    expect(res.text).toContain(
      'http_requests_total{method="GET",route="(unmatched)",status="404"} 2',
    );
    expect(res.text).toContain(
      'http_requests_total{method="POST",route="/tickets",status="422"} 1',
    );
    expect(res.text).not.toContain('no-such-thing');
  });

  it('When the pool reports its connections, then the gauges show them', async () => {
    const metrics = createMetrics({ poolStats: () => ({ total: 7, idle: 3, waiting: 2 }) });
    const { app } = buildApp({ metrics });

    const res = await supertest(app).get('/metrics');

    expect(res.text).toContain('db_pool_connections_total 7');
    expect(res.text).toContain('db_pool_connections_idle 3');
    expect(res.text).toContain('db_pool_connections_waiting 2');
  });
});

describe('Security headers (helmet)', () => {
  it.each([
    ['a JSON answer', '/api/v1/health', 200],
    ['an error', '/api/v1/nope', 404],
    ['the metrics', '/metrics', 200],
  ])('When the app sends %s, then helmet’s headers are on it', async (_what, path, status) => {
    const { app } = buildApp();

    const res = await supertest(app).get(path);

    expect(res.status).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
