import { Worker } from 'node:worker_threads';
import type { TicketStats } from './ticket-stats.ts';

// LESSON: compiled (dist/*.js), the worker is plain JavaScript and starts directly; only from
// the sources (tsx) does it need the .mjs shim that registers tsx in the worker thread.
const COMPILED = import.meta.url.endsWith('.js');
const WORKER_ENTRY = new URL(
  COMPILED ? './ticket-stats.worker.js' : './ticket-stats.worker.mjs',
  import.meta.url,
);

export interface WorkerResult {
  stats: TicketStats;
  /** Which thread did the work, as the worker itself reports it: never the main thread's id. */
  threadId: number;
}

/**
 * One worker per call: simple, and its ~100 ms start-up is paid off the main thread. The number
 * of threads is bounded by the caller (bounded-pool.ts). Production code keeps a pool of warm
 * workers instead (piscina), so that start-up is paid once.
 */
export function computeTicketStatsInWorker(size: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    // execArgv: [] — the entry registers tsx itself; inheriting tsx's flags would register it twice.
    const worker = new Worker(WORKER_ENTRY, { workerData: { size }, execArgv: [] });
    worker.once('message', (result: WorkerResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      // After a message this is a no-op (a promise settles once); before one, it is a failure.
      reject(new Error(`ticket-stats worker exited with code ${code} before answering`));
    });
  });
}
