import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { stdSerializers } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logging/logger.ts';
import { runWithLogger } from '../logging/request-context.ts';

// originalUrl: routers rewrite req.url on the way; the line names what the client asked for.
function url(req: IncomingMessage): string {
  return (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
}

/**
 * One JSON line per response (method, route, status, duration, request id), and a child logger
 * bound to the request id for everything logged while the request runs (logging/request-context.ts).
 */
export function accessLog(logger: Logger): RequestHandler {
  const http = pinoHttp({
    logger,
    // pino-http would wrap our serializers in its own (the plain err one first, which flattens
    // `cause` into the message): name all three, unwrapped, to keep the cause's fields (SQLSTATE).
    wrapSerializers: false,
    // The access line keeps what a 2 a.m. query needs (who asked what, the answer, how long),
    // not every header: headers are where tokens and cookies travel, and serialising a dozen
    // of them (helmet's included) on every line was most of what the line cost (lab:stack-cost).
    serializers: {
      req: (req: IncomingMessage) => ({
        method: req.method,
        url: url(req),
        remoteAddress: req.socket?.remoteAddress,
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: stdSerializers.errWithCause,
    },
    // requestId() ran first and chose the id (incoming when safe, else a UUID); reuse it.
    genReqId: (_req, res) => String(res.getHeader('X-Request-Id')),
    customAttributeKeys: { reqId: 'requestId' },
    // req.log binds only the id: each line of the request carries it without the whole request.
    quietReqLogger: true,
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessObject: (_req, _res, value) => ({ ...value, event: 'http.request.completed' }),
    customErrorObject: (_req, _res, _error, value) => ({ ...value, event: 'http.request.failed' }),
    customSuccessMessage: (req, res) => `${req.method} ${url(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${url(req)} ${res.statusCode}`,
  });
  return (req, res, next) => {
    http(req, res);
    runWithLogger(req.log, next);
  };
}
