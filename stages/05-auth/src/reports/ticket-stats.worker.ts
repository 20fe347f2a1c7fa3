import { parentPort, workerData } from 'node:worker_threads';
import { computeTicketStats } from './ticket-stats.ts';

// Runs on its own thread with its own event loop: the main thread keeps serving requests.
const { size } = workerData as { size: number };
parentPort?.postMessage(computeTicketStats(size));
