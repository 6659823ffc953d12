import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CachePolicy } from './cache-options.js';

/** Whether the request carries credentials that make its response someone's own. */
export function hasCredentials(headers: IncomingHttpHeaders): boolean {
  return headers.authorization !== undefined || headers.cookie !== undefined;
}

function nameOf(part: string): string {
  const eq = part.indexOf('=');
  return eq === -1 ? part : part.slice(0, eq);
}

function byName(a: string, b: string): number {
  const x = nameOf(a);
  const y = nameOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// Sorted by name only, and stably: `?a=1&a=2` and `?a=2&a=1` are different lists for the
// handler, so the values of a repeated name keep their order (a whole-part sort merged them).
function sortedQuery(query: string): string {
  if (query.length === 0) return '';
  const parts = query.split('&').filter((p) => p.length > 0);
  if (parts.length > 1) parts.sort(byName);
  return parts.join('&');
}

/**
 * The key of a GET (or HEAD, which shares it): route, path, query sorted by name and the `vary`
 * headers; with `per-credential`, a hash of the credentials (never the credentials themselves).
 * `custom` is the result of the policy's own key function, when it has one.
 */
export function cacheKey(route: string, url: string, headers: IncomingHttpHeaders, policy: CachePolicy, custom?: string): string {
  let key: string;
  if (custom !== undefined) key = `${route}|${custom}`;
  else {
    const q = url.indexOf('?');
    key = q === -1 ? `${route}|${url}` : `${route}|${url.slice(0, q)}?${sortedQuery(url.slice(q + 1))}`;
  }
  // Values are escaped, so one cannot spell `|name=` and land in another variant's entry; an
  // absent header has no `=`, so it is not the same variant as an empty one.
  for (const name of policy.vary) {
    const value = headers[name];
    key += value === undefined ? `|${name}` : `|${name}=${encodeURIComponent(Array.isArray(value) ? value.join(',') : value)}`;
  }
  if (policy.credentials === 'per-credential' && hasCredentials(headers)) {
    const secret = `${headers.authorization ?? ''}\n${headers.cookie ?? ''}`;
    key += `|cred=${createHash('sha256').update(secret).digest('base64url')}`;
  }
  return key;
}
