import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_HEADERS = 'Content-Type, If-None-Match';
// Without this a browser script cannot read these headers, even on an allowed origin.
const EXPOSED_HEADERS = 'ETag, Location';
// How long a browser may reuse a preflight answer before asking again.
const MAX_AGE_SECONDS = 600;

function allowedOrigin(req: IncomingMessage, allowList: readonly string[]): string | undefined {
  const origin = req.headers.origin;
  return origin !== undefined && allowList.includes(origin) ? origin : undefined;
}

// LESSON: CORS is the browser asking the server "may a page from this origin read your answer?".
// Only an allow-listed origin is named back; any other gets no CORS header at all (the browser
// then blocks the page from reading the response — curl and servers are not affected).
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  allowList: readonly string[],
): void {
  // The response depends on Origin, so shared caches must key on it — even when we say no.
  res.setHeader('Vary', 'Origin');
  const origin = allowedOrigin(req, allowList);
  if (origin === undefined) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/** OPTIONS on a known path: `Allow` for everyone, the preflight answer for allowed origins only. */
export function sendOptions(
  req: IncomingMessage,
  res: ServerResponse,
  allow: readonly string[],
  allowList: readonly string[],
): void {
  const methods = allow.join(', ');
  const headers: Record<string, string | number> = { Allow: methods };
  const isPreflight = req.headers['access-control-request-method'] !== undefined;
  if (isPreflight && allowedOrigin(req, allowList) !== undefined) {
    headers['Access-Control-Allow-Methods'] = methods;
    headers['Access-Control-Allow-Headers'] = ALLOWED_HEADERS;
    headers['Access-Control-Max-Age'] = MAX_AGE_SECONDS;
  }
  res.writeHead(204, headers);
  res.end();
}
