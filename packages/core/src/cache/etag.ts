import { createHash } from 'node:crypto';

/** A strong ETag over the exact bytes. */
export function strongEtag(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** Whether an `If-None-Match` header matches `etag` (weak comparison, as RFC 9110 asks for GET). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if ((tag.startsWith('W/') ? tag.slice(2) : tag) === bare) return true;
  }
  return false;
}

/**
 * The ETag for a transformed (e.g. compressed) representation: weak, since a strong ETag names
 * exact bytes (RFC 9110 8.8.1). nginx does the same when it compresses. Weak comparison, which
 * If-None-Match uses, still matches it to the strong one.
 */
export function weakEtag(etag: string): string {
  return etag.startsWith('W/') ? etag : `W/${etag}`;
}

/** Whether an `If-None-Match` header lists the weak form of the strong `etag`. */
export function listsWeakForm(header: string | undefined, etag: string): boolean {
  if (header === undefined || etag.startsWith('W/')) return false;
  for (const part of header.split(',')) if (part.trim() === `W/${etag}`) return true;
  return false;
}
