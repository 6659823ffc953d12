import type { CachePolicy } from '../cache/cache-options.js';
import type { GuardLike } from '../guards/guard.js';
import type { HttpMethod } from '../http/methods.js';
import type { RateLimitRule } from '../middleware/rate-limit/config.js';
import type { Constructor, RouteOptions } from '../metadata/types.js';

export type ParamKind =
  | 'request' | 'context' | 'background'
  | 'body' | 'query' | 'param' | 'header'
  | 'inject' | 'depends';

/** How one handler parameter gets its value, decided once at startup. */
export interface ParamDefinition {
  readonly index: number;
  readonly kind: ParamKind;
  /** Field name for `@Param('id')`, `@Query('page')`, `@Header('x-a')`, `@Body('name')`. */
  readonly name?: string;
  /** The declared type (from `design:paramtypes`), when known. */
  readonly type: unknown;
  /** True when `type` is a DTO class to validate. */
  readonly isDto: boolean;
  /** `@Inject` token or `@Depends` function. */
  readonly token?: unknown;
  readonly options?: Record<string, unknown>;
}

/**
 * One row of the route table: everything about a route that is known before the first request.
 * The compiler turns it into a fastify handler; the CLI and the OpenAPI builder read it as data.
 */
export interface RouteDefinition {
  readonly methods: readonly HttpMethod[];
  /** fastify syntax (`/users/:id`). */
  readonly path: string;
  readonly controller: Constructor | null;
  readonly propertyKey: string | null;
  /** `UsersController.get`, or `GET /hello` for a functional route. */
  readonly handlerName: string;
  readonly handler: (...args: any[]) => unknown;
  readonly params: readonly ParamDefinition[];
  readonly options: RouteOptions;
  /** Controller guards, then route guards. */
  readonly guards: readonly GuardLike[];
  /** Skips JWT authentication. */
  readonly public: boolean;
  /** The route's own rate limit; `false`: none; null: the app's. */
  readonly rateLimit: RateLimitRule | false | null;
  /** The cache policy (GET routes only), or null. */
  readonly cache: CachePolicy | null;
  /** Cache tags dropped after a 2xx answer, or null. */
  readonly invalidateTags: readonly string[] | null;
  /** Where the route was declared. */
  readonly site: Error;
}
