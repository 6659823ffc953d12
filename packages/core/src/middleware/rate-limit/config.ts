import type { Request } from '../../http/request.js';
import { celloError } from '../../errors/cello-error.js';

export type RateLimitAlgorithm = 'token-bucket' | 'sliding-window';

export interface RateLimitOptions {
  /** Requests allowed per window. */
  requests: number;
  /** Window length in seconds. */
  window: number;
  /** Who is limited: default the client IP (IPv6 grouped by /64; X-Forwarded-For only with `trustProxy`). */
  key?: (req: Request) => string;
  /**
   * Names the limit's buckets: routes given rules with the same name share them. Default: the
   * app-wide rule has one set of buckets for every route, and a `@RateLimit` rule one per route.
   */
  name?: string;
}

/**
 * One limit. Its store keys come from the route and the rule (or its `name`), never from the
 * order rules were made in: two processes that build the same app share the same keys.
 */
export interface RateLimitRule {
  readonly name: string | undefined;
  readonly algorithm: RateLimitAlgorithm;
  readonly requests: number;
  readonly window: number;
  readonly key: ((req: Request) => string) | undefined;
}

/** Whether `value` is a rule made by RateLimitConfig. */
export function isRateLimitRule(value: unknown): value is RateLimitRule {
  const r = value as RateLimitRule | null | undefined;
  return typeof r === 'object' && r !== null && (r.algorithm === 'token-bucket' || r.algorithm === 'sliding-window') && typeof r.requests === 'number';
}

function rule(algorithm: RateLimitAlgorithm, options: RateLimitOptions): RateLimitRule {
  const { requests, window, key, name } = options;
  if (!Number.isInteger(requests) || requests < 1) throw celloError('CELLO_ERR_RATE_LIMIT_CONFIG', [`RateLimitConfig: requests must be a positive integer, got ${requests}`]);
  if (!Number.isFinite(window) || window <= 0) throw celloError('CELLO_ERR_RATE_LIMIT_CONFIG', [`RateLimitConfig: window must be a positive number of seconds, got ${window}`]);
  if (key !== undefined && typeof key !== 'function') throw celloError('CELLO_ERR_RATE_LIMIT_CONFIG', ['RateLimitConfig: key must be a function of the request']);
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) throw celloError('CELLO_ERR_RATE_LIMIT_CONFIG', ['RateLimitConfig: name must be a non-empty string']);
  return Object.freeze({ name, algorithm, requests, window, key });
}

/**
 * Rate-limit rules for `app.enableRateLimit()` and `@RateLimit()`.
 *
 * @example
 * app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 100, window: 60 }));
 */
export const RateLimitConfig = {
  /** Bursts up to `requests`, refilled evenly over `window` seconds. */
  tokenBucket: (options: RateLimitOptions): RateLimitRule => rule('token-bucket', options),
  /** At most `requests` in any `window` seconds (sliding window counter). */
  slidingWindow: (options: RateLimitOptions): RateLimitRule => rule('sliding-window', options),
};
