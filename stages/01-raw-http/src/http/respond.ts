import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppError } from '../errors.ts';
import { createEtag, matchesIfNoneMatch } from './etag.ts';

type Headers = Record<string, string | number>;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

function writeJson(res: ServerResponse, status: number, body: string, headers: Headers): void {
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    // Default for everything: lists change with every write and errors are about one moment,
    // so no cache (browser or proxy) may keep them. Single tickets override this below.
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/** Success envelope: `{ "data": ... }`. */
export function sendData(
  res: ServerResponse,
  status: number,
  data: unknown,
  headers: Headers = {},
): void {
  writeJson(res, status, JSON.stringify({ data }), headers);
}

/** Error envelope: `{ "error": { code, message, fields? } }` plus the headers the error needs. */
export function sendError(res: ServerResponse, error: AppError): void {
  const body = { error: { code: error.code, message: error.message, fields: error.fields } };
  writeJson(res, error.status, JSON.stringify(body), error.headers);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

// LESSON: conditional GET. The ETag names this exact representation; a client that already
// holds it sends `If-None-Match` and gets a bodiless 304 instead of the same bytes again.
// `private, no-cache` = any cache may store it, but must revalidate (ask with the ETag) every time.
export function sendCacheable(req: IncomingMessage, res: ServerResponse, data: unknown): void {
  const body = JSON.stringify({ data });
  const etag = createEtag(body);
  const headers = { ETag: etag, 'Cache-Control': 'private, no-cache' };
  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  writeJson(res, 200, body, headers);
}
