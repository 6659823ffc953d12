import type { RateLimitRule } from './config.js';

/** The outcome of one request against a limit. Times are whole seconds. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the limit is fully available again. */
  readonly reset: number;
  /** Seconds to wait before retrying (meaningful when not allowed). */
  readonly retryAfter: number;
}

/**
 * Where rate-limit state lives. `hit` counts one request for `key` under `rule` at `now` (ms)
 * atomically. The memory store is synchronous; `@cello/redis` provides a shared one.
 * `null` means the store could not count this request (a shared store that is down and fails
 * open): it goes through without RateLimit headers, which would be made up.
 */
export interface RateLimitStore {
  hit(key: string, rule: RateLimitRule, now: number): RateLimitDecision | null | Promise<RateLimitDecision | null>;
  close?(): unknown;
}
