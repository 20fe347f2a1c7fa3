import type { Response } from 'express';
import type { AppError } from '../errors.ts';
import { createEtag, matchesIfNoneMatch } from './etag.ts';

type Headers = Record<string, string | number>;

// res.json() sets Content-Type (with charset) and Content-Length; these helpers add the envelope
// and the caching policy.
function writeJson(res: Response, status: number, body: unknown, headers: Headers): void {
  res
    .status(status)
    .set({
      // Default for everything: lists change with every write and errors are about one moment,
      // so no cache (browser or proxy) may keep them. Single tickets override this below.
      'Cache-Control': 'no-store',
      ...headers,
    })
    .json(body);
}

/** Success envelope: `{ "data": ... }`. */
export function sendData(
  res: Response,
  status: number,
  data: unknown,
  headers: Headers = {},
): void {
  writeJson(res, status, { data }, headers);
}

export interface PageMeta {
  /** null on a keyset page (`?after=`): it is "the page after that ticket", not a number. */
  page: number | null;
  pageSize: number;
  total: number;
  /** false: more than `total` match, which is then a lower bound ("1000+"), not a count. */
  totalExact?: boolean;
  totalPages: number;
  /** Whether the list goes on after this page (known without counting the rest). */
  hasMore?: boolean;
  /** `?after=` this for the next page (keyset: as fast at any depth); null after the last. */
  nextCursor?: string | null;
  /** On `?include=comments`: each ticket's `comments` holds at most this many, the newest. */
  commentsPerTicket?: number;
}

/** List envelope: `{ "data": [...], "meta": { page, pageSize, total, totalPages, nextCursor } }`. */
export function sendPage(res: Response, data: unknown[], meta: PageMeta): void {
  writeJson(res, 200, { data, meta }, {});
}

/** Error envelope: `{ "error": { code, message, fields? } }` plus the headers the error needs. */
export function sendError(res: Response, error: AppError): void {
  const body = { error: { code: error.code, message: error.message, fields: error.fields } };
  writeJson(res, error.status, body, error.headers);
}

export function sendNoContent(res: Response): void {
  res.status(204).end();
}

// LESSON: conditional GET. The ETag names this exact representation; a client that already
// holds it sends `If-None-Match` and gets a bodiless 304 instead of the same bytes again.
// `private, no-cache` = any cache may store it, but must revalidate (ask with the ETag) every time.
// We compare If-None-Match ourselves, as stage 01 did. Express's `req.fresh` (inside res.json)
// would too, but it treats a request's `Cache-Control: no-cache` as "reload" and answers 200 —
// and Node's fetch adds exactly that header to every request that sets If-None-Match. A cache
// must revalidate on no-cache; the origin server still evaluates If-None-Match (RFC 9110 §13.1.2).
export function sendCacheable(res: Response, data: unknown): void {
  const etag = createEtag(JSON.stringify({ data }));
  const headers = { ETag: etag, 'Cache-Control': 'private, no-cache' };
  if (matchesIfNoneMatch(res.req.get('If-None-Match'), etag)) {
    res.status(304).set(headers).end();
    return;
  }
  sendData(res, 200, data, headers);
}
