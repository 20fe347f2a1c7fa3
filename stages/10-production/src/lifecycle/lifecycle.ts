import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/** Whether this process is on its way out: readiness and every response read it. */
export interface Lifecycle {
  readonly shuttingDown: boolean;
  beginShutdown(): void;
  /** An answer not written yet: if a shutdown begins first, it says `Connection: close` too. */
  watch(res: ServerResponse): void;
}

export function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  const unanswered = new Set<ServerResponse>();
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown() {
      shuttingDown = true;
      for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
      unanswered.clear();
    },
    watch(res) {
      unanswered.add(res);
      res.once('close', () => unanswered.delete(res));
    },
  };
}

// LESSON: server.close() only stops new connections; a keep-alive connection with a request in
// flight stays open and would carry the client's next request too (seen on Node 20 and 24). Once
// we are shutting down, every response says `Connection: close` — those of requests already running
// when the signal came included: Node closes the socket after it, the client knows not to reuse
// it, and opens its next connection to another instance.
export function closeConnectionsWhenDraining(lifecycle: Lifecycle): RequestHandler {
  return (_req, res, next) => {
    if (lifecycle.shuttingDown) res.set('Connection', 'close');
    else lifecycle.watch(res);
    next();
  };
}
