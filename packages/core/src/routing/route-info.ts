import type { CachePolicy } from '../cache/cache-options.js';
import type { CircuitBreakerOptions } from '../breaker/breaker-options.js';
import type { GuardLike } from '../guards/guard.js';
import type { HttpMethod } from '../http/methods.js';
import type { RateLimitRule } from '../middleware/rate-limit/config.js';
import type { Constructor, RouteKind, RouteOptions } from '../metadata/types.js';
import type { JsonSchema } from '../validation/dto-schema.js';

/** Where a handler parameter's value comes from. */
export type ParamKind =
  | 'request' | 'context' | 'background'
  | 'body' | 'query' | 'param' | 'header'
  | 'inject' | 'depends'
  | 'websocket'
  | 'file' | 'files' | 'form';

/** One handler parameter: how it is bound, decided once at startup. */
export interface ParamInfo {
  readonly index: number;
  readonly kind: ParamKind;
  /** Field name for `@Param('id')`, `@Query('page')`, `@Header('x-a')`, `@Body('name')`, `@UploadedFile('avatar')`, `@Form('name')`. */
  readonly name?: string;
  /** The declared type (from `design:paramtypes`), when known. */
  readonly type: unknown;
  /** True when `type` is a DTO class to validate. */
  readonly isDto: boolean;
  /**
   * JSON Schema of the value, for the parts of the request (`body`, `query`, `param`,
   * `header`): the DTO's schema (nested DTOs as `#/definitions/Name`), or the scalar's.
   */
  readonly schema?: JsonSchema;
  /** `@Inject` token or `@Depends` function. */
  readonly token?: unknown;
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * JSON Schemas of the request parts a route reads and of its response, each an object schema
 * (`properties` by name) or, for a whole-part parameter that is not a DTO, `{}`.
 */
export interface RouteSchemas {
  readonly body?: JsonSchema;
  readonly query?: JsonSchema;
  readonly params?: JsonSchema;
  readonly headers?: JsonSchema;
  /** From the route's `response` option (nested DTOs under `definitions`). */
  readonly response?: JsonSchema;
}

/**
 * One route as data: what OpenAPI, `cello routes` and the typed client read. Everything here is
 * known before the first request; the rows `app.routes()` returns are frozen.
 */
export interface RouteInfo {
  /** `'websocket'` for `@WebSocket` routes (a GET upgraded to a socket), `'sse'` for `@Sse` routes. */
  readonly kind: RouteKind;
  readonly methods: readonly HttpMethod[];
  /** fastify syntax (`/users/:id`). */
  readonly path: string;
  /** The controller class, or null for a functional route. */
  readonly controller: Constructor | null;
  readonly propertyKey: string | null;
  /** `UsersController.get`, or `GET /hello` for a functional route. */
  readonly handlerName: string;
  readonly params: readonly ParamInfo[];
  readonly schemas: RouteSchemas;
  readonly options: Readonly<RouteOptions>;
  /** Controller guards, then route guards. */
  readonly guards: readonly GuardLike[];
  /** Skips JWT authentication. */
  readonly public: boolean;
  /** The route's own rate limit; `false`: none; null: the app's. */
  readonly rateLimit: RateLimitRule | false | null;
  /** The route's own circuit breaker settings (over the app's); `false`: none; null: the app's. */
  readonly circuitBreaker: Readonly<CircuitBreakerOptions> | false | null;
  /** The cache policy (GET routes only), or null. */
  readonly cache: CachePolicy | null;
  /** Cache tags dropped after a 2xx answer, or null. */
  readonly invalidateTags: readonly string[] | null;
  /** `@Offload()`: the method runs on a worker thread. */
  readonly offload: boolean;
}
