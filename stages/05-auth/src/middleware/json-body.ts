import express, { type RequestHandler } from 'express';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';

/**
 * express.json() with stage 01's contract. It reads the body with a byte limit (413), parses it
 * (400) and leaves `req.body` undefined for any other Content-Type. Where its defaults differ
 * from stage 01, we change them:
 * - an announced size over the limit: express.json() reads (and discards) the whole body before
 *   it answers 413; we answer before reading a byte, as stage 01 did;
 * - `strict: false`: parse any JSON value; `42` or `[]` then get our 400 INVALID_BODY from
 *   validation, instead of a parse error that says nothing about what we wanted;
 * - an empty body: express.json() calls it `{}` ("a common client-side mistake"); it is no JSON
 *   at all, so `verify` (called with the raw bytes before parsing) refuses it: 400 MALFORMED_JSON.
 * Its own errors (413, 400, 415 for a non-UTF charset) become envelopes in error-handler.ts.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const refuseAnnouncedOversize: RequestHandler = (req, _res, next) => {
    if (Number(req.get('Content-Length')) > limitBytes) throw new PayloadTooLargeError(limitBytes);
    next();
  };
  const parse = express.json({
    limit: limitBytes,
    strict: false,
    verify: (_req, _res, raw) => {
      if (raw.length === 0) throw new MalformedJsonError();
    },
  });
  return [refuseAnnouncedOversize, parse];
}

/** On routes that take a body: express.json() skips a body that is not JSON; stage 01 said 415. */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    if (!req.is('application/json')) throw new UnsupportedMediaTypeError();
    next();
  };
}
