import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

declare global {
  namespace Express {
    interface Locals {
      /** Set by requestId() for every request, before anything else runs. */
      requestId: string;
    }
  }
}

// Letters, digits and - _ . : only, at most 64: an id that ends up in every log line must not
// be able to forge a log line (newlines) or fill the disk (length).
const SAFE_REQUEST_ID = /^[\w.:-]{1,64}$/;

// LESSON: one id per request, in the response header and in every log line about it. A user
// who reports "it failed" can send the X-Request-Id they got; you grep for it. When a proxy or
// another service already named the request, keep its id so the trail spans both systems.
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('X-Request-Id');
    const id = incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.set('X-Request-Id', id);
    next();
  };
}
