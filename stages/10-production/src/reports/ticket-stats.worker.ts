import { parentPort, threadId, workerData } from 'node:worker_threads';
import { computeTicketStats } from './ticket-stats.ts';

// Runs on its own thread with its own event loop: the main thread keeps serving requests.
// It names its own thread, so the answer proves where the work ran.
const { size } = workerData as { size: number };
parentPort?.postMessage({ stats: computeTicketStats(size), threadId });
