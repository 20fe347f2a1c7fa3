import express, { type Request, type RequestHandler } from 'express';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';

/**
 * express.json() with stage 01's contract. It reads the body with a byte limit (413), parses it
 * (400) and leaves `req.body` undefined for any other Content-Type. Where its defaults differ
 * from stage 01, we change them:
 * - an announced size over the limit: express.json() reads (and discards) the whole body before
 *   it answers 413; we answer before reading a byte, as stage 01 did;
 * - `strict: false`: parse any JSON value; `42` or `[]` then get our 400 INVALID_BODY from
 *   validation, instead of a parse error that says nothing about what we wanted;
 * - an empty body: express.json() calls it `{}`, which would read as "an object with no fields".
 *   It is no body at all (a fetch wrapper that always sets Content-Type: application/json sends
 *   it on every POST), so `req.body` stays undefined, as stage 01's readJsonBody returns: a route
 *   that takes no body accepts it, a route that needs one answers as for a missing body.
 * Its own errors (413, 400, 415 for a non-UTF charset) become envelopes in error-handler.ts.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const refuseAnnouncedOversize: RequestHandler = (req, _res, next) => {
    if (Number(req.get('Content-Length')) > limitBytes) throw new PayloadTooLargeError(limitBytes);
    next();
  };
  const empty = new WeakSet<object>();
  const parse = express.json({
    limit: limitBytes,
    strict: false,
    // Called with the raw bytes before parsing: the one place that can tell `` from `{}`.
    verify: (req, _res, raw) => {
      if (raw.length === 0) empty.add(req);
    },
  });
  const emptyIsNoBody: RequestHandler = (req, _res, next) => {
    if (empty.has(req)) req.body = undefined;
    next();
  };
  return [refuseAnnouncedOversize, parse, emptyIsNoBody];
}

/** No Content-Length and no Transfer-Encoding, or `Content-Length: 0`: no body was sent. */
function hasNoBody(req: Request): boolean {
  const length = req.get('Content-Length');
  return length === undefined ? req.get('Transfer-Encoding') === undefined : Number(length) === 0;
}

/**
 * On routes that take a body: express.json() skips a body that is not JSON; stage 01 said 415.
 * No body at all is not the wrong media type: validation answers it (400 INVALID_BODY).
 */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    if (!hasNoBody(req) && !req.is('application/json')) throw new UnsupportedMediaTypeError();
    next();
  };
}
