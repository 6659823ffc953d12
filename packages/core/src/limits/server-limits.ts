import { celloError } from '../errors/cello-error.js';

/** The limits and timeouts of `new App({ ... })` that protect the server; every one has a default. */
export interface LimitOptions {
  /** Largest accepted body, in bytes (default 1 MiB); a route may set its own with `bodyLimit`. */
  bodyLimit?: number;
  /**
   * Seconds a client has to send a whole request, headers and body (default 60; 0: none).
   * Past it the request answers 408 and the connection closes.
   */
  requestTimeout?: number;
  /** Seconds a client has to send the request's headers (default 10; at most `requestTimeout`). */
  headersTimeout?: number;
  /**
   * Seconds an idle keep-alive connection stays open (default 72): longer than the 60 s idle
   * timeout of common load balancers, so the balancer, not the server, closes idle connections.
   */
  keepAliveTimeout?: number;
  /** Largest request line plus headers, in bytes (default 16 KiB); over it answers 431. */
  maxHeaderSize?: number;
  /** Longest URL (path and query), in characters (default 8 KiB); over it answers 414. */
  maxUrlLength?: number;
  /** Longest path parameter, in characters (default 100); over it answers 414. */
  maxParamLength?: number;
  /**
   * Seconds a handler (with its body-reading guards, middleware and dependencies) has to produce
   * its result before the request answers 503 (default: none). A route may set its own.
   */
  handlerTimeout?: number;
}

/** The limits in the units the server wants (bytes, milliseconds; 0: off). */
export interface ServerLimits {
  readonly bodyLimit: number;
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderSize: number;
  readonly maxUrlLength: number;
  readonly maxParamLength: number;
  readonly handlerTimeoutMs: number;
  /** How often Node looks for requests past requestTimeout / headersTimeout. */
  readonly checkIntervalMs: number;
}

/** The defaults, as documented in the README's "Production defaults". */
export const limitDefaults = {
  bodyLimit: 1024 * 1024,
  requestTimeout: 60,
  headersTimeout: 10,
  keepAliveTimeout: 72,
  maxHeaderSize: 16 * 1024,
  maxUrlLength: 8 * 1024,
  maxParamLength: 100,
  handlerTimeout: 0,
} as const satisfies Required<LimitOptions>;

function seconds(name: keyof LimitOptions, value: number | undefined, fallback: number): number {
  const s = value ?? fallback;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
    throw celloError('CELLO_ERR_LIMITS_CONFIG', [`${name} must be a number of seconds >= 0 (0 turns it off), got ${String(value)}`]);
  }
  // Under a millisecond would round to 0, which means "off" to Node: the smallest real limit is 1 ms.
  return s === 0 ? 0 : Math.max(1, Math.round(s * 1000));
}

function count(name: keyof LimitOptions, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n <= 0) throw celloError('CELLO_ERR_LIMITS_CONFIG', [`${name} must be a whole number > 0, got ${String(value)}`]);
  return n;
}

/** Route option `handlerTimeout` (seconds) in ms; undefined: the app's. */
export function routeHandlerTimeoutMs(value: number | false | undefined, label: string): number | undefined {
  if (value === undefined) return undefined;
  if (value === false) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw celloError('CELLO_ERR_LIMITS_CONFIG', [`handlerTimeout of ${label} must be a number of seconds > 0 or false, got ${String(value)}`]);
  }
  return Math.max(1, Math.round(value * 1000));
}

/** Route option `bodyLimit` (bytes); undefined: the app's. */
export function routeBodyLimit(value: number | undefined, label: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value <= 0) throw celloError('CELLO_ERR_LIMITS_CONFIG', [`bodyLimit of ${label} must be a whole number of bytes > 0, got ${String(value)}`]);
  return value;
}

/**
 * Checks the options and fills in the defaults. `fastifyFallback`: values given the old way,
 * through `new App({ fastify: { requestTimeout, ... } })` (milliseconds), still count when the
 * Cello option is not set.
 */
export function resolveLimits(options: LimitOptions, fastifyFallback: { requestTimeout?: number; keepAliveTimeout?: number; maxParamLength?: number } = {}): ServerLimits {
  const ms = (v: number | undefined) => (v === undefined ? undefined : v / 1000);
  const requestTimeoutMs = seconds('requestTimeout', options.requestTimeout ?? ms(fastifyFallback.requestTimeout), limitDefaults.requestTimeout);
  let headersTimeoutMs = seconds('headersTimeout', options.headersTimeout, limitDefaults.headersTimeout);
  // Node refuses a headersTimeout above requestTimeout; the whole request's limit covers its headers.
  if (requestTimeoutMs > 0 && (headersTimeoutMs === 0 || headersTimeoutMs > requestTimeoutMs)) {
    if (options.headersTimeout !== undefined && options.headersTimeout !== 0) {
      throw celloError('CELLO_ERR_LIMITS_CONFIG', [`headersTimeout (${options.headersTimeout} s) must not be longer than requestTimeout (${requestTimeoutMs / 1000} s)`]);
    }
    headersTimeoutMs = requestTimeoutMs;
  }
  const keepAliveTimeoutMs = seconds('keepAliveTimeout', options.keepAliveTimeout ?? ms(fastifyFallback.keepAliveTimeout), limitDefaults.keepAliveTimeout);
  const smallest = Math.min(...[requestTimeoutMs, headersTimeoutMs].filter((t) => t > 0));
  return {
    bodyLimit: count('bodyLimit', options.bodyLimit, limitDefaults.bodyLimit),
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs,
    maxHeaderSize: count('maxHeaderSize', options.maxHeaderSize, limitDefaults.maxHeaderSize),
    maxUrlLength: count('maxUrlLength', options.maxUrlLength, limitDefaults.maxUrlLength),
    maxParamLength: count('maxParamLength', options.maxParamLength ?? fastifyFallback.maxParamLength, limitDefaults.maxParamLength),
    handlerTimeoutMs: seconds('handlerTimeout', options.handlerTimeout, limitDefaults.handlerTimeout),
    // Node looks for expired requests only every connectionsCheckingInterval (default 30 s, so a
    // 10 s headersTimeout could take 40 s): a quarter of the smallest limit keeps the overshoot
    // under 25%, and one pass over the open connections every few seconds costs next to nothing.
    checkIntervalMs: Number.isFinite(smallest) ? Math.min(30_000, Math.max(5, Math.floor(smallest / 4))) : 30_000,
  };
}
