import type { CacheOptions, InvalidateOptions } from '../cache/cache-options.js';
import type { GuardLike } from '../guards/guard.js';
import type { RateLimitRule } from '../middleware/rate-limit/config.js';
import type { CircuitBreakerOptions } from '../breaker/breaker-options.js';
import type { HttpMethod } from '../http/methods.js';

export type Constructor<T = unknown> = new (...args: any[]) => T;

export interface ControllerOptions {
  /** OpenAPI tags for every route of the controller (default: the class name without "Controller"). */
  tags?: string[];
}

export interface ControllerMeta {
  prefix: string;
  options: ControllerOptions;
  /** Where the decorator ran, so startup errors point at the user's code. */
  site: Error;
}

/** Options accepted by `@Get(path, options)` and friends, and by functional routes. */
export interface RouteOptions {
  /** Success status for a plain return value (default 200; `undefined`/`null` results answer 204 unless set). */
  status?: number;
  /** Guards for this route, after the controller's guards. */
  guards?: readonly GuardLike[];
  /** Response type: a DTO class or `[Dto]` for an array; used to serialize and document the response. */
  response?: unknown;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  /** List the route in the OpenAPI document (default true). */
  includeInDocs?: boolean;
  /** Skip JWT authentication (as `@Public()`). */
  public?: boolean;
  /** This route's rate limit, or `false` for none (as `@RateLimit()` / `@SkipRateLimit()`). */
  rateLimit?: RateLimitRule | false;
  /** This route's circuit breaker settings over the app's, or `false` for none (as `@CircuitBreaker()` / `@SkipCircuitBreaker()`). */
  circuitBreaker?: CircuitBreakerOptions | false;
  /** Cache this GET route's responses (as `@Cache()`). */
  cache?: CacheOptions;
  /** Tags to invalidate after a 2xx answer (as `@InvalidateCache()`). */
  invalidateCache?: InvalidateOptions;
  /** `@WebSocket` routes: the largest message accepted, in bytes (default: the app's `websocket.maxPayload`). */
  maxPayload?: number;
  /** Largest accepted body for this route, in bytes (default: the app's `bodyLimit`). */
  bodyLimit?: number;
  /**
   * Seconds this route's handler has to produce its result before the request answers 503
   * (default: the app's `handlerTimeout`; `false`: none for this route).
   */
  handlerTimeout?: number | false;
  /** `@Sse` routes: seconds of silence before a heartbeat comment, or `false` for none (default: the app's `sse.heartbeat`). */
  heartbeat?: number | false;
}

/** What a route speaks: plain HTTP, a WebSocket (`@WebSocket`) or server-sent events (`@Sse`). */
export type RouteKind = 'http' | 'websocket' | 'sse';

export interface RouteMeta {
  /** Default 'http'. */
  kind?: RouteKind;
  methods: readonly HttpMethod[];
  path: string;
  propertyKey: string;
  options: RouteOptions;
  site: Error;
}

export type ParamSource = 'body' | 'query' | 'param' | 'header' | 'inject' | 'depends' | 'custom' | 'file' | 'files' | 'form';

export interface ParamMeta {
  index: number;
  source: ParamSource;
  /** The field name (`@Param('id')`), or undefined for the whole part. */
  name?: string;
  /** Injection token for `@Inject`, dependency function for `@Depends`. */
  token?: unknown;
  options?: Record<string, unknown>;
  site: Error;
}
