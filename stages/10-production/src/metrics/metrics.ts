import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Metrics {
  registry: Registry;
  /** Counts and times every response, labelled by route pattern. */
  record: RequestHandler;
  /** GET /metrics: the Prometheus text format. */
  expose: RequestHandler;
}

/** The route pattern that answered (`/tickets/:id`), never the raw URL. */
function routeOf(req: Parameters<RequestHandler>[0]): string {
  // No route matched (404, /docs' static files, a 405): one label for all of them.
  return (req.route?.path as string | undefined) ?? '(unmatched)';
}

// LESSON: a label value becomes a time series. `/tickets/3f2a…` as a label makes one series per
// ticket, forever, until Prometheus runs out of memory; the pattern `/tickets/:id` makes one.
export function createMetrics(options: { poolStats?: () => PoolStats } = {}): Metrics {
  // A registry of our own (not prom-client's global one): two apps in one test process, or a
  // lab that builds several, each count their own requests.
  const registry = new Registry();
  // Process and Node.js metrics: CPU, memory, GC, and event-loop lag (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP responses sent, by method, route pattern and status.',
    labelNames,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'http_request_errors_total',
    help: 'HTTP responses with a 5xx status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request to the end of the response.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const { poolStats } = options;
  if (poolStats) {
    for (const [key, help] of [
      ['total', 'Connections the pool holds.'],
      ['idle', 'Connections waiting for a query.'],
      ['waiting', 'Queries waiting for a connection (above 0 for long: the pool is too small).'],
    ] as const) {
      new Gauge({
        name: `db_pool_connections_${key}`,
        help,
        registers: [registry],
        collect() {
          this.set(poolStats()[key]);
        },
      });
    }
  }
  return {
    registry,
    record: (req, res, next) => {
      const stop = duration.startTimer();
      res.once('finish', () => {
        const labels = { method: req.method, route: routeOf(req), status: res.statusCode };
        stop(labels);
        requests.inc(labels);
        if (res.statusCode >= 500) errors.inc(labels);
      });
      next();
    },
    expose: async (_req, res) => {
      res.set('Content-Type', registry.contentType).send(await registry.metrics());
    },
  };
}
