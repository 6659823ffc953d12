import type { OutgoingHttpHeaders } from 'node:http';
import type { CacheEntry } from './cache-store.js';

/**
 * The headers a stored entry is answered with, whether fastify sends it (cache stage) or the
 * fast path writes it: its own headers, its ETag, the route's Cache-Control and, on a hit, its
 * Age. One fixed-shape literal first: copying `stored` with a spread makes writeHead take a
 * slow path.
 */
export function entryHeaders(entry: CacheEntry, cacheControl: string, isHit: boolean): OutgoingHttpHeaders {
  const stored = entry.headers;
  const headers: OutgoingHttpHeaders = {
    'content-type': stored['content-type'],
    etag: entry.etag,
    'cache-control': cacheControl,
    age: isHit ? String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))) : undefined,
  };
  if (!isHit) delete headers.age;
  for (const name in stored) if (name !== 'content-type') headers[name] = stored[name];
  return headers;
}
