import cors from 'cors';
import type { RequestHandler } from 'express';

// Every method the API answers: the browser only checks that its method is in the list.
const METHODS = 'GET, POST, PATCH, DELETE';
// Authorization carries the access token (authenticate.ts); X-Request-Id may come from the client;
// Idempotency-Key makes a create safe to retry (idempotency.middleware.ts).
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-None-Match, X-Request-Id';
// Without this a browser script cannot read these headers, even on an allowed origin. A retrying
// client reads Retry-After (409, 503) and Idempotent-Replayed.
const EXPOSED_HEADERS =
  'ETag, Idempotent-Replayed, Location, Retry-After, WWW-Authenticate, X-Request-Id';
// How long a browser may reuse a preflight answer before asking again.
const MAX_AGE_SECONDS = 600;

/** The `cors` package with stage 01's allow-list contract. */
export function corsPolicy(allowList: readonly string[]): RequestHandler {
  const policy = cors({
    // A function, not the array itself: given an array, the package still sends Allow-Methods,
    // Allow-Headers, Max-Age and Expose-Headers to a foreign origin. Answering `false` makes it
    // add nothing at all, which is what stage 01 did.
    origin: (origin, callback) => {
      callback(null, origin !== undefined && allowList.includes(origin) ? origin : false);
    },
    methods: METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: MAX_AGE_SECONDS,
    // Let the route answer OPTIONS (204 + Allow, or 404 for a path that does not exist)
    // instead of the package answering 204 for any path at all.
    preflightContinue: true,
  });
  return (req, res, next) => {
    // The response depends on Origin, so shared caches must key on it — even when we say no.
    res.vary('Origin');
    policy(req, res, next);
  };
}
