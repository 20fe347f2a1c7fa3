import { createHash } from 'node:crypto';

/** A strong validator: the same bytes always give the same tag, any change gives another. */
export function createEtag(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}
