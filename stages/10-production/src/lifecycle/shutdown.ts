import type { Server } from 'node:http';
import type { Logger } from '../logging/logger.ts';
import type { Lifecycle } from './lifecycle.ts';

export interface ShutdownOptions {
  server: Server;
  lifecycle: Lifecycle;
  logger: Logger;
  /** Readiness says 503 this long before the listener closes (the balancer's reaction time). */
  drainDelayMs: number;
  /** In-flight requests get this long; then every connection is cut and the exit code is 1. */
  timeoutMs: number;
  /** What to close once no request runs any more, in order (the pool, a Redis client…). */
  resources: { name: string; close: () => Promise<unknown> }[];
  exit: (code: number) => void;
}

/** Closes the listener; resolves once every connection is gone. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections idle right now would otherwise hold close() open until they time
    // out; busy ones finish their request, get `Connection: close` (lifecycle.ts), and go.
    server.closeIdleConnections();
  });
}

// LESSON: a graceful shutdown, in the order that loses nothing:
//   1. readiness answers 503 (the balancer stops sending new requests here),
//   2. after drainDelayMs the listener closes (new connections are refused) and idle keep-alive
//      connections close; requests in flight finish, each answered with `Connection: close`,
//   3. then the pool closes (a request still running would have needed it), then exit 0.
// A request that outlives timeoutMs is cut off: exit 1, so the supervisor knows it was not clean.
export function createShutdown(options: ShutdownOptions) {
  const { server, lifecycle, logger, exit } = options;
  let started = false;
  return async function shutDown(reason: string, exitCode = 0): Promise<void> {
    if (started) return; // a second signal, or a crash while draining: one shutdown is enough
    started = true;
    lifecycle.beginShutdown();
    logger.info({ event: 'shutdown.started', reason }, `${reason}: draining`);
    const force = setTimeout(() => {
      logger.fatal({ event: 'shutdown.timed_out', timeoutMs: options.timeoutMs }, 'forced exit');
      server.closeAllConnections();
      exit(1);
    }, options.timeoutMs);
    force.unref();
    await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
    await closeServer(server);
    let code = exitCode;
    for (const resource of options.resources) {
      try {
        await resource.close();
      } catch (error: unknown) {
        logger.error({ err: error, event: 'shutdown.close_failed', resource: resource.name });
        code = 1;
      }
    }
    clearTimeout(force);
    logger.info({ event: 'shutdown.completed', exitCode: code }, 'bye');
    exit(code);
  };
}
