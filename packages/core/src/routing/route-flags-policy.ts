import { toCachePolicy, type CacheOptions, type CachePolicy, type InvalidateOptions } from '../cache/cache-options.js';
import { celloError } from '../errors/cello-error.js';
import type { HttpMethod } from '../http/methods.js';
import type { RouteFlags } from '../metadata/route-flags.js';
import type { RouteOptions } from '../metadata/types.js';
import type { RateLimitRule } from '../middleware/rate-limit/config.js';
import type { CircuitBreakerOptions } from '../breaker/breaker-options.js';

export interface RoutePolicies {
  public: boolean;
  rateLimit: RateLimitRule | false | null;
  circuitBreaker: CircuitBreakerOptions | false | null;
  cache: CachePolicy | null;
  invalidateTags: readonly string[] | null;
  offload: boolean;
}

/** Per-route settings from decorators (flags) and route options, decorators winning. */
export function routePolicies(flags: RouteFlags, options: RouteOptions, methods: readonly HttpMethod[], owner: string): RoutePolicies {
  const cacheOptions = (flags.cache ?? options.cache) as CacheOptions | undefined;
  if (cacheOptions !== undefined && methods.some((m) => m !== 'GET' && m !== 'HEAD')) {
    throw celloError('CELLO_ERR_CACHE_NOT_GET', [owner, methods.join(', ')]);
  }
  const invalidate = (flags.invalidateCache ?? options.invalidateCache?.tags) as InvalidateOptions['tags'] | undefined;
  return {
    public: Boolean(flags.public ?? options.public ?? false),
    rateLimit: (flags.rateLimit ?? options.rateLimit ?? null) as RateLimitRule | false | null,
    circuitBreaker: (flags.circuitBreaker ?? options.circuitBreaker ?? null) as CircuitBreakerOptions | false | null,
    cache: cacheOptions === undefined ? null : toCachePolicy(cacheOptions, owner),
    invalidateTags: invalidate === undefined ? null : [...invalidate],
    offload: flags.offload === true,
  };
}
