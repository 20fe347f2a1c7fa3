import type { RequestHandler } from 'express';
import type { Logger } from '../app.ts';

/** One line per response: method, path, status, duration, request id. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    // 'finish' fires once the response is handed to the OS, whoever sent it (route, 404, error
    // handler), so the status is the final one. originalUrl: routers rewrite req.url on the way.
    res.once('finish', () => {
      const ms = (performance.now() - started).toFixed(1);
      logger.info(
        `${req.method} ${req.originalUrl} ${res.statusCode} ${ms}ms ${res.locals.requestId}`,
      );
    });
    next();
  };
}
