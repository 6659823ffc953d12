import type { Request } from '../http/request.js';
import { celloError } from '../errors/cello-error.js';

export interface CacheOptions {
  /** Seconds an entry stays fresh. */
  ttl: number;
  /** Tags for invalidation (`@InvalidateCache({ tags })`, `app.cache.invalidate({ tags })`). */
  tags?: readonly string[];
  /** Replaces the default key (path and sorted query) with your own. */
  key?: (req: Request) => string;
  /** Request headers whose values also go into the key (e.g. `accept-language`). */
  vary?: readonly string[];
  /**
   * Requests with `Authorization` or cookies: `'bypass'` (default) runs the handler and stores
   * nothing; `'per-credential'` keys the entry by the credentials and marks it `private`.
   */
  credentials?: 'bypass' | 'per-credential';
  /** Statuses worth storing (default: only 200). */
  statuses?: readonly number[];
}

/** A route's cache policy as the route table holds it. */
export interface CachePolicy {
  readonly ttl: number;
  readonly tags: readonly string[];
  readonly key: ((req: Request) => string) | undefined;
  readonly vary: readonly string[];
  readonly credentials: 'bypass' | 'per-credential';
  readonly statuses: readonly number[];
}

export interface InvalidateOptions {
  tags: readonly string[];
}

export function toCachePolicy(options: CacheOptions, owner: string): CachePolicy {
  if (!options || !Number.isFinite(options.ttl) || options.ttl <= 0) {
    throw celloError('CELLO_ERR_CACHE_CONFIG', [`@Cache on ${owner}: ttl must be a positive number of seconds, got ${options?.ttl}`]);
  }
  const credentials = options.credentials ?? 'bypass';
  if (credentials !== 'bypass' && credentials !== 'per-credential') {
    throw celloError('CELLO_ERR_CACHE_CONFIG', [`@Cache on ${owner}: credentials must be 'bypass' or 'per-credential'`]);
  }
  return Object.freeze({
    ttl: options.ttl,
    tags: [...(options.tags ?? [])],
    key: options.key,
    vary: (options.vary ?? []).map((h) => h.toLowerCase()),
    credentials,
    statuses: [...(options.statuses ?? [200])],
  });
}
