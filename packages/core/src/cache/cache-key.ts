import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CachePolicy } from './cache-options.js';

/** Whether the request carries credentials that make its response someone's own. */
export function hasCredentials(headers: IncomingHttpHeaders): boolean {
  return headers.authorization !== undefined || headers.cookie !== undefined;
}

function sortedQuery(query: string): string {
  if (query.length === 0) return '';
  const parts = query.split('&').filter((p) => p.length > 0);
  if (parts.length > 1) parts.sort();
  return parts.join('&');
}

/**
 * The key of a GET (or HEAD, which shares it): route, path, sorted query and the `vary`
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
  for (const name of policy.vary) {
    const value = headers[name];
    key += `|${name}=${Array.isArray(value) ? value.join(',') : value ?? ''}`;
  }
  if (policy.credentials === 'per-credential' && hasCredentials(headers)) {
    const secret = `${headers.authorization ?? ''}\n${headers.cookie ?? ''}`;
    key += `|cred=${createHash('sha256').update(secret).digest('base64url')}`;
  }
  return key;
}
