import { AsyncLocalStorage } from 'node:async_hooks';
import { type Logger, pino } from 'pino';

// LESSON: AsyncLocalStorage carries a value along every callback and `await` that descends from
// one request, without passing it through each function. Here it carries the request's child
// logger, so a service or repository that calls `log()` writes lines that name the request id.
const storage = new AsyncLocalStorage<Logger>();

// Outside any request (a script, a startup step) nothing is bound: those log through their own
// logger, and a stray log() call there writes nothing rather than a line without its request.
const outsideRequests = pino({ enabled: false });

/** Runs `work` (and everything it starts) with `logger` as the request's logger. */
export function runWithLogger<T>(logger: Logger, work: () => T): T {
  return storage.run(logger, work);
}

/** The current request's logger (its lines carry `requestId`). */
export function log(): Logger {
  return storage.getStore() ?? outsideRequests;
}
