import type { RequestHandler } from 'express';
import { NotAcceptableError } from '../errors.ts';

// LESSON: content negotiation goes both ways. Content-Type says what the client sends (415 when
// we cannot read it); Accept says what it can read. This API speaks only JSON, so a client that
// accepts no JSON (`Accept: text/html`) gets 406 now, rather than a body it cannot use.
// No Accept, `*/*`, `application/*` or JSON at any q (> 0) are fine: req.accepts() weighs them.
// The 406 itself is JSON: an error has to be written in some format (RFC 9110 §15.5.7).
export function acceptsJson(): RequestHandler {
  return (req, _res, next) => {
    if (!req.accepts('application/json')) throw new NotAcceptableError();
    next();
  };
}
