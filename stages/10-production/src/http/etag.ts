import { createHash } from 'node:crypto';

/** A strong validator: the same bytes always give the same tag, any change gives another. */
export function createEtag(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** `If-None-Match` may list several tags, or `*`; it compares weakly (`W/"x"` matches `"x"`). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .includes(etag);
}
