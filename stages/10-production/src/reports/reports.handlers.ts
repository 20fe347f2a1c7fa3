import { threadId } from 'node:worker_threads';
import type { RequestHandler } from 'express';
import { sendData } from '../http/respond.ts';
import { validated } from '../middleware/validate.ts';
import { createBoundedPool } from './bounded-pool.ts';
import { TicketStatsQuerySchema } from './reports.schemas.ts';
import { computeTicketStatsInWorker } from './ticket-stats.runner.ts';
import { computeTicketStats } from './ticket-stats.ts';

/** What the route validates: reports.routes.ts hands it to validate(). */
export const TICKET_STATS_ROUTE = { query: TicketStatsQuerySchema };

export interface ReportOptions {
  reportSize: number;
  /** Worker threads at once (config: REPORT_WORKERS, default one per core). */
  reportWorkers: number;
  /** Requests that may wait for a worker (REPORT_QUEUE_LENGTH); the next one gets 503. */
  reportQueueLength: number;
}

export function createReportHandlers(options: ReportOptions): { ticketStats: RequestHandler } {
  const { reportSize } = options;
  const workers = createBoundedPool({
    maxRunning: options.reportWorkers,
    maxWaiting: options.reportQueueLength,
  });
  return {
    async ticketStats(_req, res) {
      const { mode } = validated(res, TICKET_STATS_ROUTE).query;
      const started = performance.now();
      // LESSON: JavaScript runs your code on ONE thread. `blocking` computes right here, and until
      // it returns no other request — not even /health — gets an answer. `worker` runs the very
      // same function on another thread and awaits it, so this thread stays free.
      const result =
        mode === 'blocking'
          ? { stats: computeTicketStats(reportSize), threadId }
          : await workers.run(() => computeTicketStatsInWorker(reportSize));
      const durationMs = Math.round(performance.now() - started);
      sendData(res, 200, { mode, threadId: result.threadId, durationMs, stats: result.stats });
    },
  };
}
