import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../app.ts';
import {
  AppError,
  InternalError,
  MalformedJsonError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../errors.ts';
import { sendError } from '../http/respond.ts';

/** The errors express.json() (body-parser) raises carry a `type`; the 413 one its `limit`. */
function fromBodyParser(error: unknown): AppError | undefined {
  const { type, limit } = error as { type?: unknown; limit?: unknown };
  switch (type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(Number(limit));
    case 'entity.parse.failed':
      return new MalformedJsonError();
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError();
  }
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  // The router could not decode a path parameter (`/tickets/%E0%A4%A`): no route can mean it.
  if (error instanceof URIError) return new NotFoundError('No route for this path.');
  // No driver errors here: the repositories already turned them into AppErrors
  // (src/db/translate-errors.ts). Anything else that reaches this point is a bug.
  if (typeof error === 'object' && error !== null) return fromBodyParser(error);
}

// LESSON: ONE error handler, registered last (Express knows it by its four parameters). Every
// error reaches it: thrown in a handler, rejected by an `await` (Express 5 forwards rejected
// promises; Express 4 needed try/catch + next(err)), or raised by a middleware. Client errors
// become their envelope; anything else is a bug: logged in full with the request id, and the
// client gets a 500 that leaks nothing.
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    // Too late for a clean answer: Express's default handler closes the connection.
    if (res.headersSent) return next(error);
    // The client left while we read its body: nobody to answer and nothing broke, so no error
    // line (that would page someone at 2 a.m. for a phone that went into a tunnel).
    if ((error as { type?: unknown } | null)?.type === 'request.aborted') return;
    const known = toAppError(error);
    if (known && known.status < 500) return sendError(res, known);
    // A bug, or a 503 (the database is down): either way someone must look, so log the original.
    logger.error(
      `${req.method} ${req.originalUrl} failed (request ${res.locals.requestId}):`,
      error,
    );
    sendError(res, known ?? new InternalError());
  };
}
