import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger.ts';
import { runWithLogger } from '../logging/request-context.ts';

declare global {
  namespace Express {
    interface Request {
      /** The request's logger, bound to its id (accessLog()): what the error handler logs with. */
      log: Logger;
    }
  }
}

/** What the line says about how the request ended: an alert matches on `event` and level. */
function outcome(finished: boolean, status: number) {
  if (!finished) return { level: 'warn', event: 'http.request.aborted' } as const;
  if (status >= 500) return { level: 'error', event: 'http.request.failed' } as const;
  return { level: status >= 400 ? 'warn' : 'info', event: 'http.request.completed' } as const;
}

/**
 * Binds a child logger to the request id, for everything logged while the request runs
 * (`req.log`, and `log()` through logging/request-context.ts), and — unless `line` is false
 * (ACCESS_LOG=false) — writes one JSON line when the request is over: method, url, the client's
 * address, status, duration.
 */
export function accessLog(logger: Logger, options: { line?: boolean } = {}): RequestHandler {
  const line = options.line !== false;
  return (req, res, next) => {
    const started = performance.now();
    // LESSON: one child logger per request, with the id requestId() chose: every line written
    // through it carries `requestId`, and it is the only thing it binds (no header, no body).
    const log = logger.child({ requestId: res.locals.requestId });
    req.log = log;
    if (line) {
      // 'close' comes last for every response, whoever sent it (route, 404, error handler):
      // after 'finish' when the answer was handed to the OS, or alone when the connection went
      // away first (the client gave up, a timeout): then the request was aborted, and says so.
      res.once('close', () => {
        const { level, event } = outcome(res.writableFinished, res.statusCode);
        // originalUrl: routers rewrite req.url on the way; the line names what the client asked
        // for. req.ip: the client, as the trusted proxies in front of us saw it (app.ts).
        const what = `${req.method} ${req.originalUrl}`;
        log[level](
          {
            req: { method: req.method, url: req.originalUrl, ip: req.ip },
            // No status when none was sent: 200 is only Node's default before an answer.
            res: res.headersSent ? { statusCode: res.statusCode } : undefined,
            responseTime: Math.round((performance.now() - started) * 10) / 10,
            event,
          },
          event === 'http.request.aborted' ? `${what} aborted` : `${what} ${res.statusCode}`,
        );
      });
    }
    runWithLogger(log, next);
  };
}
