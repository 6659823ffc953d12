import type { Request } from '../../http/request.js';

export type RateLimitAlgorithm = 'token-bucket' | 'sliding-window';

export interface RateLimitOptions {
  /** Requests allowed per window. */
  requests: number;
  /** Window length in seconds. */
  window: number;
  /** Who is limited: default the client IP (IPv6 grouped by /64; X-Forwarded-For only with `trustProxy`). */
  key?: (req: Request) => string;
}

/** One limit, as stores see it. `id` keeps the buckets of different limits apart. */
export interface RateLimitRule {
  readonly id: string;
  readonly algorithm: RateLimitAlgorithm;
  readonly requests: number;
  readonly window: number;
  readonly key: ((req: Request) => string) | undefined;
}

let nextId = 0;

function rule(algorithm: RateLimitAlgorithm, options: RateLimitOptions): RateLimitRule {
  const { requests, window, key } = options;
  if (!Number.isInteger(requests) || requests < 1) throw new RangeError(`RateLimitConfig: requests must be a positive integer, got ${requests}`);
  if (!Number.isFinite(window) || window <= 0) throw new RangeError(`RateLimitConfig: window must be a positive number of seconds, got ${window}`);
  if (key !== undefined && typeof key !== 'function') throw new TypeError('RateLimitConfig: key must be a function of the request');
  return Object.freeze({ id: `rl${nextId++}`, algorithm, requests, window, key });
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
