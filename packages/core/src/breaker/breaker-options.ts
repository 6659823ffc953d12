import { celloError } from '../errors/cello-error.js';

/** `app.enableCircuitBreaker(options)`, `@CircuitBreaker(options)` and the `circuitBreaker` route option. */
export interface CircuitBreakerOptions {
  /** Consecutive failed answers (5xx, including fastify's `handlerTimeout` 503) that open the breaker (default 5). */
  failureThreshold?: number;
  /** Seconds the breaker stays open before it lets probes through (default 30). */
  resetTimeout?: number;
  /** Probes let through at once while half-open (default 1). */
  halfOpenRequests?: number;
  /** The clock, in milliseconds (default `Date.now`); tests give a fake one. */
  now?: () => number;
}

export interface BreakerSettings {
  readonly failureThreshold: number;
  readonly resetTimeoutMs: number;
  readonly halfOpenRequests: number;
  readonly now: () => number;
}

export const breakerDefaults: BreakerSettings = Object.freeze({ failureThreshold: 5, resetTimeoutMs: 30_000, halfOpenRequests: 1, now: Date.now });

function positiveInteger(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw celloError('CELLO_ERR_BREAKER_CONFIG', [where, `${name} must be a positive integer, got ${String(value)}`]);
  }
  return value;
}

/**
 * `options` over `base` (the app's settings for a route's own breaker, the defaults for the
 * app's), checked once at startup.
 */
export function breakerSettings(options: CircuitBreakerOptions, base: BreakerSettings, where: string): BreakerSettings {
  if (options === null || typeof options !== 'object') throw celloError('CELLO_ERR_BREAKER_CONFIG', [where, 'takes an options object, e.g. { failureThreshold: 5, resetTimeout: 30 }']);
  const { failureThreshold, resetTimeout, halfOpenRequests, now } = options;
  if (resetTimeout !== undefined && (typeof resetTimeout !== 'number' || !Number.isFinite(resetTimeout) || resetTimeout <= 0)) {
    throw celloError('CELLO_ERR_BREAKER_CONFIG', [where, `resetTimeout must be a positive number of seconds, got ${String(resetTimeout)}`]);
  }
  if (now !== undefined && typeof now !== 'function') throw celloError('CELLO_ERR_BREAKER_CONFIG', [where, 'now must be a function returning milliseconds']);
  return Object.freeze({
    failureThreshold: failureThreshold === undefined ? base.failureThreshold : positiveInteger(failureThreshold, 'failureThreshold', where),
    resetTimeoutMs: resetTimeout === undefined ? base.resetTimeoutMs : resetTimeout * 1000,
    halfOpenRequests: halfOpenRequests === undefined ? base.halfOpenRequests : positiveInteger(halfOpenRequests, 'halfOpenRequests', where),
    now: now ?? base.now,
  });
}
