import { threadId } from 'node:worker_threads';
import type { RequestHandler } from 'express';
import { InvalidQueryError } from '../errors.ts';
import { sendData } from '../http/respond.ts';
import { createBoundedPool } from './bounded-pool.ts';
import { computeTicketStatsInWorker } from './ticket-stats.runner.ts';
import { computeTicketStats } from './ticket-stats.ts';

const MODES = ['blocking', 'worker'] as const;
type Mode = (typeof MODES)[number];

function parseMode(raw: unknown): Mode {
  const mode = raw ?? 'worker';
  if (!MODES.includes(mode as Mode)) {
    throw new InvalidQueryError({ mode: `mode must be one of: ${MODES.join(', ')}.` });
  }
  return mode as Mode;
}

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
    async ticketStats(req, res) {
      const mode = parseMode(req.query.mode);
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
