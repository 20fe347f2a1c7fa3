import type { RequestHandler } from 'express';

/** Whether this process is on its way out: readiness and every response read it. */
export interface Lifecycle {
  readonly shuttingDown: boolean;
  beginShutdown(): void;
}

export function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown() {
      shuttingDown = true;
    },
  };
}

// LESSON: server.close() only stops new connections; a keep-alive connection with a request in
// flight stays open and would carry the client's next request too (seen on Node 20 and 24). Once
// we are shutting down, every response says `Connection: close`: Node closes the socket after it,
// and the client opens its next connection to another instance.
export function closeConnectionsWhenDraining(lifecycle: Lifecycle): RequestHandler {
  return (_req, res, next) => {
    if (lifecycle.shuttingDown) res.set('Connection', 'close');
    next();
  };
}
