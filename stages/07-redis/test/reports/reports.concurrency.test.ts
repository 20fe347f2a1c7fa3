import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { reportRoutes } from '../../src/reports/reports.routes.ts';
import { systemRoutes } from '../../src/system/system.routes.ts';
import { buildApp, CALLER, request } from '../support/helpers.ts';

const REPORT = '/api/v1/reports/ticket-stats';

/**
 * Serves `app` on a free port. `arrived` settles once the server has handed the first report
 * request to the app: a request sent after that is certainly second in line.
 */
async function serve(app: RequestListener) {
  let reportArrived = (): void => {};
  const arrived = new Promise<void>((resolve) => {
    reportArrived = resolve;
  });
  const server = createServer((req, res) => {
    const isReport = req.url?.startsWith(REPORT); // read first: Express rewrites req.url
    app(req, res);
    if (isReport) reportArrived();
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () => {
    server.closeAllConnections();
    server.close();
  };
  return { url: `http://127.0.0.1:${port}`, arrived, stop };
}

/**
 * The report and /health alone, for an admin. Not the whole app: its token lookup (and from
 * stage 07 its rate limit in Redis) waits for I/O before the report starts, and /health, which
 * waits for none, would overtake it in either mode; the order would prove nothing.
 */
function reportAndHealth() {
  const admin: RequestHandler = (_req, res, next) => {
    res.locals.user = CALLER;
    next();
  };
  const noSamples = { count: 0, percentile: () => 0, max: 0, reset: () => {} };
  const options = { reportSize: 200_000, reportWorkers: 2, reportQueueLength: 8 };
  return express().use('/api/v1', reportRoutes(options, admin), systemRoutes(noSamples, admin));
}

/** A report, then /health once the report is in: which of the two answers first? */
async function orderOfCompletion(mode: 'blocking' | 'worker'): Promise<string[]> {
  const app = reportAndHealth();
  const { url, arrived, stop } = await serve(app);
  const finished: string[] = [];
  try {
    const report = fetch(`${url}${REPORT}?mode=${mode}`)
      .then((res) => res.text())
      .then(() => finished.push('report'));
    await arrived;
    const health = fetch(`${url}/api/v1/health`)
      .then((res) => res.text())
      .then(() => finished.push('health'));
    await Promise.all([report, health]);
    return finished;
  } finally {
    stop();
  }
}

// Each worker starts tsx before it computes: seconds on a busy machine. Generous test timeouts
// bound a hang; no assertion depends on how long anything took.
describe('GET /api/v1/reports/ticket-stats under concurrency', { timeout: 60_000 }, () => {
  // Proven by order, not by a stopwatch: no threshold to tune, nothing flaky on a slow machine.
  it('When a blocking report is running, then /health sent after it answers only after it', async () => {
    expect(await orderOfCompletion('blocking')).toEqual(['report', 'health']);
  });

  it('When a worker report is running, then /health sent after it answers first', async () => {
    expect(await orderOfCompletion('worker')).toEqual(['health', 'report']);
  });

  it('When more reports come than workers and queue hold, then the rest get 503 with Retry-After', async () => {
    const { app } = buildApp({ config: { reportWorkers: 1, reportQueueLength: 1 } });

    const responses = await Promise.all(
      [1, 2, 3].map(() => request(app).get(`${REPORT}?mode=worker`)),
    );

    const statuses = responses.map((res) => res.status).sort();
    expect(statuses).toEqual([200, 200, 503]);
    const refused = responses.find((res) => res.status === 503);
    expect(refused?.headers['retry-after']).toBe('1');
    expect(refused?.body.error.code).toBe('SERVICE_UNAVAILABLE');
  });
});
