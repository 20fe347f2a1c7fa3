import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
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
  /** Once the listener is closed, a keep-alive connection silent this long is closed (1 s). */
  idleGraceMs?: number;
  /** What to close once no request runs any more, in order (the pool, a Redis client…). */
  resources: { name: string; close: () => Promise<unknown> }[];
  exit: (code: number) => void;
}

// An active client sends its next request within milliseconds of an answer; a connection silent
// for a second belongs to a client with nothing to send.
const IDLE_GRACE_MS = 1000;

// LESSON: not `server.close()`. Since Node 19 it also destroys, at once, every keep-alive
// connection that Node sees as idle — including one whose client has already sent its next
// request, still unread in the kernel's buffer because the event loop was busy (as it is under
// load). Closing a socket with unread data makes TCP answer with a reset: the client gets
// ECONNRESET for a request it had every right to send. So only the listener closes here
// (net.Server's close, which http.Server's wraps). A connection that carries another request
// gets `Connection: close` with its answer (lifecycle.ts) and goes, race-free; one that stays
// silent for idleGraceMs is closed then, with nothing left unread on it.
/** Closes the listener; resolves once every connection is gone. */
function closeServer(server: Server, idleGraceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const closeIdle = setTimeout(() => server.closeIdleConnections(), idleGraceMs);
    NetServer.prototype.close.call(server, () => {
      clearTimeout(closeIdle);
      resolve();
    });
  });
}

// LESSON: a graceful shutdown, in the order that loses nothing:
//   1. readiness answers 503 (the balancer stops sending new requests here),
//   2. after drainDelayMs the listener closes (new connections are refused); requests in flight
//      finish, each answered with `Connection: close`, and keep-alive connections still silent
//      after idleGraceMs close,
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
    // No delay: the listener closes in this same tick. Even a zero timeout would let answers
    // saying `Connection: close` go out first, and the clients' new connections, accepted by the
    // kernel before the listener closes, would then be reset by it.
    if (options.drainDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
    }
    await closeServer(server, options.idleGraceMs ?? IDLE_GRACE_MS);
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
