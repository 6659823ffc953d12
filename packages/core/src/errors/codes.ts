/**
 * Every error Cello itself raises, by stable code. Codes are never reused or renamed;
 * each one is documented in docs/errors.md (a test checks that).
 * `%s` placeholders are filled in order by `celloError()`. `status` is given only to errors
 * that can happen while serving a request (the answer is then a 500); startup and
 * configuration errors have none.
 */
export const codes = {
  CELLO_ERR_ROUTE_DUPLICATE: {
    message: 'Route %s %s is declared twice (%s and %s). Give one of them another path or method.',
  },
  CELLO_ERR_ROUTE_AFTER_START: {
    message: 'Cannot add %s after the app has started. Register routes and controllers before listen(), ready() or the first inject().',
  },
  CELLO_ERR_ROUTE_NOT_A_CONTROLLER: {
    message: '%s was registered as a controller but has no @Controller() decorator. Add @Controller(\'/prefix\') to the class.',
  },
  CELLO_ERR_ROUTE_INVALID_PATH: {
    message: 'Invalid route path %s on %s: %s',
  },
  CELLO_ERR_ROUTE_NOT_A_METHOD: {
    message: 'Route decorator on %s targets "%s", which is not a method. Put @Get/@Post/... on a method.',
  },
  CELLO_ERR_PARAM_UNBOUND: {
    message: 'Cannot bind parameter #%s of %s (type %s). %s',
  },
  CELLO_ERR_PARAM_FETCH_TYPE: {
    message: 'Parameter #%s of %s is typed with the global fetch %s, not Cello\'s. Add `import { %s } from \'@cello/core\'` (a value import: `import type` leaves no class at runtime, so the global one is found).',
  },
  CELLO_ERR_PARAM_NO_METADATA: {
    message: 'Parameter #%s of %s has no type information: %s was compiled without decorator metadata. Compile with tsc or swc and "emitDecoratorMetadata": true (esbuild and tsx drop it), or bind it with a decorator such as @Body() or @Inject(token).',
  },
  CELLO_ERR_PARAM_TYPE_UNDEFINED: {
    message: 'Parameter #%s of %s has the type undefined at runtime: the class was used before its declaration (declared further down the file, or a circular import). Declare the class before the class that uses it, or move it into its own file.',
  },
  CELLO_ERR_DTO_NO_DECORATORS: {
    message: 'Parameter #%s of %s is typed with the class %s, which has no class-validator or class-transformer decorators: a DTO needs them, or nothing in it would be validated. Add them to its properties (`@IsString() name!: string`); to take the raw body instead, type it with an interface and bind it with @Body(). If %s is a service, inject it through the controller\'s constructor.',
  },
  CELLO_ERR_DTO_NESTED_TYPE_MISSING: {
    message: '%s.%s has @ValidateNested() but its %s cannot be told (declared as %s): nothing in it would be validated. Add @Type(() => ItsClass) from class-transformer next to @ValidateNested(). %s',
  },
  CELLO_ERR_DTO_NESTED_NOT_VALIDATED: {
    message: '%s.%s holds %s %s, which has validation decorators, but the property has no @ValidateNested(): its values would not be validated. Add @ValidateNested%s.',
  },
  CELLO_ERR_DTO_TYPE_UNSUPPORTED: {
    message: '%s.%s is declared as %s, which a JSON body or query string cannot carry. %s',
  },
  CELLO_ERR_VALIDATION_LIBRARY_COPIES: {
    message: 'Two copies of %s are loaded (%s for @cello/core, and %s): decorators written to one are invisible to the other, so validation would silently switch off. Install one copy: make %s resolve to the same folder from your code and from @cello/core (`npm ls %s` shows them; `npm dedupe`, or with `cello new --link` a project made by the current cello).',
  },
  CELLO_ERR_CLASS_USED_BEFORE_DECLARATION: {
    message: '%s: the decorator metadata of a class refers to %s, which is declared further down the same file (TypeScript\'s emitDecoratorMetadata evaluates parameter and property types when the class is defined). Move the declaration of %s above the class that uses it, or into its own file.',
  },
  CELLO_ERR_DI_UNRESOLVED: {
    message: 'Cannot create %s: %s. Is every constructor parameter an @Injectable()/@Singleton() class or given with @Inject(token), and registered?',
  },
  CELLO_ERR_DI_CYCLE: {
    status: 500,
    message: 'Dependency cycle: %s. A dependency cannot (directly or through others) resolve itself; split the shared part into its own dependency.',
  },
  CELLO_ERR_DI_NO_YIELD: {
    status: 500,
    message: 'Dependency %s is a generator that finished without yielding a value. Yield the value exactly once (`try { yield value } finally { cleanup }`).',
  },
  CELLO_ERR_DI_YIELDED_TWICE: {
    status: 500,
    message: 'Dependency %s yielded more than once; only the first value is used and the generator was closed. Yield exactly once.',
  },
  CELLO_ERR_DI_CLEANUP_FAILED: {
    status: 500,
    message: 'Cleanup of dependency %s failed.',
  },
  CELLO_ERR_DI_NO_METADATA: {
    message: 'Cannot create %s: its constructor parameters have no type information. Mark the class @Injectable() or @Singleton(); if it is marked, it was compiled without decorator metadata (esbuild and tsx drop it): compile with tsc or swc and "emitDecoratorMetadata": true, or give each parameter with @Inject(token).',
  },
  CELLO_ERR_DI_INTERFACE_PARAM: {
    message: 'Cannot create %s: constructor parameter #%s is typed with an interface, a type alias, a primitive or a class imported with `import type` (emitted as %s), which has no runtime token. A class: import it as a value (`import { Service } from \'./service.js\'`, not `import type`). Otherwise inject it with @Inject(token) and register the token on app.container.',
  },
  CELLO_ERR_DI_UNDEFINED_PARAM: {
    message: 'Cannot create %s: constructor parameter #%s has type undefined, which usually means a circular import (the class was used before it was defined). Move the classes into separate files or use tsyringe\'s delay(() => Class).',
  },
  CELLO_ERR_BACKGROUND_TASK_FAILED: {
    status: 500,
    message: 'Background task %s failed.',
  },
  CELLO_ERR_LIFECYCLE_STARTUP_FAILED: {
    message: 'Startup failed: %s. The app shut down what had started; listen() rejects with the original error.',
  },
  CELLO_ERR_LIFECYCLE_SHUTDOWN_FAILED: {
    message: 'Shutdown step %s failed; the remaining steps still ran.',
  },
  CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT: {
    message: 'shutdownTimeout reached with work still running: %s.',
  },
  CELLO_ERR_LIFECYCLE_FORCED_EXIT: {
    message: 'Forced exit: %s.',
  },
  CELLO_ERR_GUARD_INVALID: {
    message: 'Guard %s of %s has no canActivate(ctx) method. A guard implements Guard: canActivate(ctx) returns a boolean or a promise of one.',
  },
  CELLO_ERR_JWT_CONFIG: {
    message: 'enableJwt(): option %s %s.',
  },
  CELLO_ERR_CORS_CONFIG: {
    message: 'enableCors(): %s',
  },
  CELLO_ERR_CACHE_NOT_GET: {
    message: '@Cache on %s, which serves %s: only GET (and HEAD) responses are cached. Use @InvalidateCache on routes that change data.',
  },
  CELLO_ERR_DOCS_SCHEMA_CONFLICT: {
    message: 'OpenAPI: two schemas are named %s (%s and %s). components.schemas is keyed by class name: rename one DTO class.',
  },
  CELLO_ERR_MIDDLEWARE_NEXT_TWICE: {
    status: 500,
    message: 'A middleware called next() more than once. Call it once and return (or replace) its result.',
  },
  CELLO_ERR_APP_TRUST_PROXY: {
    status: 500,
    message: 'new App({ trustProxy: %s }): a hop count cannot tell your proxy from a client that connects directly, so fastify ignores it and every client would get the proxy\'s address. Name the proxy\'s addresses instead: \'loopback\' (a proxy on the same host), \'uniquelocal\' (a private network), or IPs/CIDRs such as [\'10.0.0.0/8\'].',
  },
  CELLO_ERR_APP_CLOSED: {
    message: 'The app is closed. Create a new App to serve again.',
  },
  CELLO_ERR_RESPONSE_INVALID: {
    status: 500,
    message: 'Invalid response: %s',
  },
  CELLO_ERR_ROUTE_HANDLER_INVALID: {
    message: 'Route %s: the handler must be a function, got %s.',
  },
  CELLO_ERR_ROUTE_METHOD_UNKNOWN: {
    message: 'Route %s: unknown HTTP method %s. Use one of %s.',
  },
  CELLO_ERR_ROUTE_RESPONSE_INVALID: {
    message: '%s: the response option must be a DTO class (a class with class-validator decorators) or [DtoClass] for an array of it.',
  },
  CELLO_ERR_PARAM_DECORATOR_MISPLACED: {
    message: '@%s goes on a handler method\'s parameter, not on a constructor parameter (%s). %s',
  },
  CELLO_ERR_DEPENDS_INVALID: {
    message: '@Depends expects a function of the request context, got %s.',
  },
  CELLO_ERR_DI_OVERRIDE_INVALID: {
    message: 'overrideDependency(dep, replacement): %s must be a function (a dependency), got %s.',
  },
  CELLO_ERR_MIDDLEWARE_INVALID: {
    message: 'app.use(middleware): middleware must be a function (ctx, next) => result, got %s.',
  },
  CELLO_ERR_GUARD_CONFIG: {
    message: '%s',
  },
  CELLO_ERR_RATE_LIMIT_CONFIG: {
    message: 'Invalid rate limit: %s.',
  },
  CELLO_ERR_CACHE_CONFIG: {
    message: 'Invalid cache configuration: %s.',
  },
  CELLO_ERR_REDIS_CONFIG: {
    message: '@cello/redis: %s.',
  },
  CELLO_ERR_REDIS_UNAVAILABLE: {
    status: 503,
    message: 'Rate limiting is unavailable (Redis does not answer) and the limiter fails closed; retry shortly.',
  },
  CELLO_ERR_DOCS_CONFIG: {
    message: 'enableDocs(): %s.',
  },
  CELLO_ERR_LIFECYCLE_HOOK_INVALID: {
    message: '%s.',
  },
  CELLO_ERR_BACKGROUND_TASK_INVALID: {
    status: 500,
    message: 'BackgroundTasks.add expects a function, got %s.',
  },
  CELLO_ERR_HTTP_ERROR_STATUS: {
    status: 500,
    message: 'HttpError status must be an integer from 400 to 599, got %s. Use Response for other statuses.',
  },
  CELLO_ERR_WORKERS_INVALID: {
    message: '%s: workers must be \'auto\' (one per CPU) or a whole number from 1 up.',
  },
  CELLO_ERR_WORKERS_AFTER_START: {
    message: 'listen({ workers }) in an app that already started in this process (ready() or inject() ran its startup hooks here). The primary must not start the app: call listen({ workers }) first, or serve from this process without workers.',
  },
  CELLO_ERR_WORKERS_START_FAILED: {
    message: 'The app failed to start %s times in a row in a worker (the last one exited with %s before listening): giving up, and the primary exits with code 1. The worker\'s error is in the log above; run the app without workers to see it on its own.',
  },
  CELLO_ERR_WORKERS_WORKER_DIED: {
    message: 'A worker process exited unexpectedly; another one is started.',
  },
  CELLO_ERR_WORKERS_KILLED: {
    message: 'A worker did not exit after shutdownTimeout; the primary killed it.',
  },
  CELLO_ERR_REALTIME_CONFIG: {
    message: 'Invalid realtime setting: %s.',
  },
  CELLO_ERR_WEBSOCKET_PARAM_OUTSIDE: {
    message: '%s takes a WebSocketConnection (parameter %s), but it is not a @WebSocket route. Declare it with @WebSocket(path) instead of @Get, or remove the parameter.',
  },
  CELLO_ERR_WEBSOCKET_HANDLER_FAILED: {
    status: 500,
    message: 'The WebSocket handler %s failed; the socket was closed with 1011.',
  },
  CELLO_ERR_SSE_NOT_ITERABLE: {
    status: 500,
    message: '%s must return an async iterable of events (write it as `async *method()`), got %s.',
  },
  CELLO_ERR_SSE_EVENT_INVALID: {
    status: 500,
    message: 'Invalid server-sent event: %s.',
  },
  CELLO_ERR_SSE_SOURCE_FAILED: {
    status: 500,
    message: 'The event source of %s failed while streaming; the stream was ended.',
  },
  CELLO_ERR_STATIC_INVALID: {
    message: 'app.serveStatic(%s, %s): %s.',
  },
  CELLO_ERR_MULTIPART_CONFIG: {
    message: 'Invalid multipart setup: %s.',
  },
  CELLO_ERR_MULTIPART_MISPLACED: {
    message: '%s on %s: %s',
  },
  // Operations: health checks, circuit breaker, configuration from the environment (issue 16)
  CELLO_ERR_HEALTH_CONFIG: {
    message: 'Invalid health check setup: %s.',
  },
  CELLO_ERR_HEALTH_CHECK_FAILED: {
    message: 'A health check failed; /health/ready answers 503 until it passes.',
  },
  CELLO_ERR_HEALTH_CHECK_TIMEOUT: {
    message: 'A health check did not settle within its timeout; /health/ready answers 503 until it passes.',
  },
  CELLO_ERR_BREAKER_CONFIG: {
    message: '%s: %s.',
  },
  CELLO_ERR_BREAKER_OPEN: {
    status: 503,
    message: 'The circuit breaker of a route is open: the route answers 503 without calling its handler until a probe succeeds.',
  },
  CELLO_ERR_CONFIG_INVALID: {
    message: 'The environment has %s invalid variable(s):\n%s\nSet them as shown (an unset or empty variable takes its default) and start again.',
  },
  // --- Offloading CPU work to worker threads (@Offload) ---
  CELLO_ERR_OFFLOAD_PARAM: {
    message: '%s is @Offload()ed, but its parameter %s is %s, which cannot cross to a worker thread. An offloaded method may take only @Param(), @Query(), @Body(), @Header() and DTO parameters (plain data, cloned to the worker): read the values it needs with those, or keep the route on the main thread.',
  },
  CELLO_ERR_OFFLOAD_ROUTE: {
    message: '@Offload() on %s: %s.',
  },
  CELLO_ERR_OFFLOAD_CONFIG: {
    message: 'Invalid offload setup: %s.',
  },
  CELLO_ERR_OFFLOAD_MODULE: {
    message: 'Cannot offload %s: %s.',
  },
  CELLO_ERR_OFFLOAD_NOT_EXPORTED: {
    message: 'Cannot offload %s: the class %s is not exported from %s, so a worker thread cannot load it. Export it (`export class %s`).',
  },
  CELLO_ERR_OFFLOAD_RESULT: {
    status: 500,
    message: '%s returned a value a worker thread cannot send back (%s). Return plain data: objects, arrays, strings, numbers, Dates, typed arrays; no functions, class instances with private state, streams or Response objects.',
  },
  CELLO_ERR_OFFLOAD_WORKER_FAILED: {
    status: 500,
    message: 'The worker thread running %s failed: %s.',
  },
  // Production limits and faults (issue 17): answers to requests over a limit, and the
  // process-level failures. Each answer is in the JSON error shape with its code.
  CELLO_ERR_LIMITS_CONFIG: {
    message: 'Invalid limit: %s.',
  },
  CELLO_ERR_REQUEST_TIMEOUT: {
    status: 408,
    message: 'The request was not received within requestTimeout.',
  },
  CELLO_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    message: 'The request line and headers are larger than maxHeaderSize.',
  },
  CELLO_ERR_MALFORMED_REQUEST: {
    status: 400,
    message: 'The request is not valid HTTP.',
  },
  CELLO_ERR_URL_TOO_LONG: {
    status: 414,
    message: 'The URL is longer than maxUrlLength.',
  },
  CELLO_ERR_PARAM_TOO_LONG: {
    status: 414,
    message: 'A path parameter is longer than maxParamLength.',
  },
  CELLO_ERR_BODY_TOO_LARGE: {
    status: 413,
    message: 'The request body is larger than bodyLimit.',
  },
  CELLO_ERR_BODY_LENGTH_MISMATCH: {
    status: 400,
    message: 'The body is shorter or longer than its Content-Length.',
  },
  CELLO_ERR_HANDLER_TIMEOUT: {
    status: 503,
    message: 'The handler did not answer within handlerTimeout.',
  },
  CELLO_ERR_LIFECYCLE_UNCAUGHT: {
    message: 'An uncaught exception or unhandled rejection: the app closes gracefully and the process exits 1.',
  },
  // Request context and blocking detection (issue 19)
  CELLO_ERR_CONTEXT_DISABLED: {
    message: 'RequestContext.current() needs the request context: create the app with new App({ requestContext: true }), or take a `ctx: RequestContext` parameter instead.',
  },
  CELLO_ERR_BLOCKING_CONFIG: {
    message: 'Invalid blocking detection setup: %s.',
  },
  CELLO_ERR_EVENT_LOOP_BLOCKED: {
    message: '%s blocked the event loop for %s ms in %s (threshold %s ms%s): every other request waited. Move CPU-bound work to an @Offload() method or use an async API.',
  },
  // Operations: metrics and tracing (issue 16)
  CELLO_ERR_METRICS_CONFIG: {
    message: 'Invalid enablePrometheus() option: %s.',
  },
  CELLO_ERR_METRICS_SCRAPE_FAILED: {
    status: 503,
    message: 'Could not collect the metrics of every worker: %s. The primary process may be busy or gone; retry the scrape.',
  },
} as const;

export type CelloErrorCode = keyof typeof codes;
