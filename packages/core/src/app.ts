import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type InjectOptions,
  type LightMyRequestResponse,
} from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { AppRuntime } from './app-runtime.js';
import { BlockingDetector, blockingDetectionByDefault, type BlockingDetectionOptions } from './blocking/blocking-detector.js';
import { CircuitBreakers } from './breaker/circuit-breaker-feature.js';
import type { CircuitBreakerOptions } from './breaker/breaker-options.js';
import { CacheFeature } from './cache/cache-feature.js';
import type { LogLevel } from './config/from-env.js';
import { RequestLogFields } from './context/log-fields.js';
import { requestStorage } from './context/request-storage.js';
import type { CacheFastPath } from './cache/fast-path.js';
import { ResponseCache, type CacheSetup } from './cache/response-cache.js';
import type { Dependency } from './di/dependency.js';
import { resolveController } from './di/resolve-controller.js';
import { registerSingletons } from './di/singleton-registry.js';
import { celloError } from './errors/cello-error.js';
import type { Feature } from './features/feature.js';
import { FeatureRegistry } from './features/registry.js';
import { installBodyParsers } from './http/body-parsers.js';
import { handleError } from './http/error-response.js';
import { requestDecorations } from './http/fastify-augment.js';
import { routerErrors } from './http/router-errors.js';
import { HttpError } from './http/http-error.js';
import { Response } from './http/response.js';
import { checkTrustProxy } from './http/trust-proxy.js';
import { httpMethods, type HttpMethod } from './http/methods.js';
import { drainServers, openConnections, serverBindings } from './lifecycle/drain.js';
import { Lifecycle, type LifecycleEvent, type LifecycleHook } from './lifecycle/hooks.js';
import { PendingWork } from './lifecycle/pending-work.js';
import { handleSignals } from './lifecycle/signals.js';
import { handleUncaughtErrors } from './lifecycle/uncaught-errors.js';
import { clientErrorHandler } from './limits/client-errors.js';
import { resolveLimits, type LimitOptions, type ServerLimits } from './limits/server-limits.js';
import { UrlLimit } from './limits/url-limit.js';
import type { Constructor, RouteOptions } from './metadata/types.js';
import { AccessLog, type LoggingOptions } from './middleware/access-log.js';
import { Compression, type CompressionOptions } from './middleware/compression.js';
import { Cors, type CorsOptions } from './middleware/cors.js';
import { staticRoute, type StaticOptions } from './files/serve-static.js';
import { resolveMultipartOptions, type MultipartOptions } from './files/multipart-options.js';
import { JwtAuth } from './middleware/jwt/jwt-auth.js';
import type { JwtOptions } from './middleware/jwt/options.js';
import { composeMiddleware, type Middleware } from './middleware/middleware.js';
import { isRateLimitRule, type RateLimitRule } from './middleware/rate-limit/config.js';
import { RateLimiter, type RateLimitSetup } from './middleware/rate-limit/rate-limiter.js';
import { RequestIds, type RequestIdOptions } from './middleware/request-id.js';
import { SecurityHeaders, type SecurityHeadersOptions } from './middleware/security-headers.js';
import { DocsFeature } from './openapi/enable-docs.js';
import type { DocsOptions, OpenApiDocument } from './openapi/types.js';
import { hasUserHooks } from './routing/fastify-hooks.js';
import { MethodIndex } from './routing/method-index.js';
import { mountRoutes } from './routing/mount.js';
import { functionalParams } from './routing/param-definitions.js';
import { joinPath } from './routing/path.js';
import { routePolicies } from './routing/route-flags-policy.js';
import type { RouteInfo } from './routing/route-info.js';
import { routeSchemas } from './routing/route-schemas.js';
import type { RouteDefinition } from './routing/route-table.js';
import { scanController } from './routing/scan-controllers.js';
import { workerCount, type WorkersOption } from './workers/options.js';
import { OffloadPool } from './offload/offload-pool.js';
import type { OffloadOptions } from './offload/offload-options.js';
import { isClusterPrimary, killGraceMs, superviseWorkers, type WorkerSupervisor } from './workers/supervisor.js';
import { exitAfterFailedStart, followPrimary } from './workers/worker.js';
import { HealthChecks } from './health/health-checks.js';
import type { HealthOptions } from './health/health-options.js';
import { LiveStreams } from './realtime/live-streams.js';
import { AppObserver } from './metrics/observer.js';
import { Prometheus } from './metrics/prometheus.js';
import type { PrometheusOptions } from './metrics/prometheus-options.js';
import { Tracing } from './tracing/tracing.js';
import { traceLogFields } from './tracing/trace-log-fields.js';
import type { TracingOptions } from './tracing/tracing-options.js';
import { realtimeSettings, type SseOptions, type WebSocketOptions } from './realtime/realtime-options.js';

export interface AppOptions extends LimitOptions {
  /** Controller classes; more can be added with `register()` before the app starts. */
  controllers?: Constructor[];
  /**
   * `true` (default, level from LOG_LEVEL or 'info'), `false`, pino options, or a pino-compatible
   * logger instance.
   */
  logger?: boolean | FastifyServerOptions['logger'] | FastifyBaseLogger;
  /**
   * Trust `X-Forwarded-*` from these proxy addresses: `'loopback'`, `'uniquelocal'`, IPs/CIDRs
   * (string or list), a function, or `true` (anyone). A hop count is refused (CELLO_ERR_APP_TRUST_PROXY).
   */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Seconds `close()` waits for in-flight requests and queued background tasks (default 10). */
  shutdownTimeout?: number;
  /** Close gracefully on SIGINT/SIGTERM once listening (default true). */
  handleSignals?: boolean;
  /**
   * Once listening, an uncaught exception or unhandled rejection is logged (with the request id
   * where known), the app closes gracefully (up to `shutdownTimeout`) and the process exits 1
   * (default true).
   */
  handleUncaughtErrors?: boolean;
  /** Parent container for the app's own child container (default: tsyringe's root). */
  container?: DependencyContainer;
  /** WebSocket routes: `maxPayload`, the largest message in bytes (default 1 MiB; over it the socket closes with 1009). */
  websocket?: WebSocketOptions;
  /** Server-sent events: `heartbeat`, seconds of silence before a comment keeps the connection open (default 15; `false`: none). */
  sse?: SseOptions;
  /**
   * Limits for multipart/form-data bodies (`@UploadedFile`, `@Form`): `fileSize` in bytes
   * (default 10 MiB), `files` (10) and `fields` (100) per request, `storage` ('disk' or
   * 'memory'). Over a limit is 413.
   */
  multipart?: MultipartOptions;
  /**
   * Run each request inside an AsyncLocalStorage, so `RequestContext.current()` finds it from
   * any code the request started (awaits, timers, emitters, background tasks, cleanups) and
   * `app.log` lines written there carry its `reqId`. Off by default: then no route pays for it.
   */
  requestContext?: boolean;
  /**
   * The worker thread pool of `@Offload()` routes: `minThreads` (default 1), `maxThreads`
   * (default: CPUs - 1), `idleTimeout` in seconds (default 30). Started at startup only when a
   * route is offloaded.
   */
  offload?: OffloadOptions;
  /** Extra fastify options, for what Cello does not cover itself. */
  fastify?: Omit<FastifyServerOptions, 'logger' | 'bodyLimit' | 'trustProxy'>;
  /** The port `listen()` uses when it is given none (default 3000). `Config.fromEnv()` reads it from PORT. */
  port?: number;
  /** The host `listen()` uses when it is given none (default 'localhost'). From HOST. */
  host?: string;
  /** The default logger's level (default: LOG_LEVEL, else 'info'). Ignored when `logger` is given. */
  logLevel?: LogLevel;
  /** `listen()`'s `workers` when it is given none. From CELLO_WORKERS. */
  workers?: WorkersOption;
  /** The rest of `Config.fromEnv()`: kept as `app.config` for your own code; the app itself reads none of them. */
  nodeEnv?: string;
  redisUrl?: string;
  databaseUrl?: string;
  /** Your own variables from `Config.fromEnv({ extra })`. */
  extra?: Readonly<Record<string, unknown>>;
}

/** The configuration an app was made with (`app.config`). */
export type AppConfig = Readonly<Pick<AppOptions, 'port' | 'host' | 'logLevel' | 'workers' | 'nodeEnv' | 'redisUrl' | 'databaseUrl' | 'extra'>>;

export interface ListenOptions {
  port?: number;
  host?: string;
  /**
   * Serve from this many worker processes on one port (node:cluster), or `'auto'` for one per
   * CPU. The process that calls listen() becomes the primary: it runs no startup hook, forks
   * workers that run this same entry (and serve), replaces a worker that dies, and stops them
   * all on SIGTERM/SIGINT or `close()`. `CELLO_WORKERS` (set by `cello start --workers`) overrides it.
   */
  workers?: WorkersOption;
}

export type RouteHandler = (...args: any[]) => unknown;

type State = 'configuring' | 'starting' | 'started' | 'closing' | 'closed';

function isLoggerInstance(value: unknown): value is FastifyBaseLogger {
  return typeof value === 'object' && value !== null && typeof (value as FastifyBaseLogger).child === 'function'
    && typeof (value as FastifyBaseLogger).info === 'function';
}

type Mixin = (merge: object, level: number, logger?: unknown) => object;

// `mixin`: the request context's log fields. A logger instance made by the user is taken as
// it is (pino cannot add a mixin to an existing logger); pino options get it added.
function loggerOptions(logger: AppOptions['logger'], level: LogLevel | undefined, mixin: Mixin | undefined): Partial<FastifyServerOptions> {
  if (isLoggerInstance(logger)) return { loggerInstance: logger };
  if (logger === undefined || logger === true) return { logger: { level: level ?? process.env.LOG_LEVEL ?? 'info', ...(mixin ? { mixin } : {}) } };
  if (mixin === undefined || logger === false || logger === null || typeof logger !== 'object') return { logger: logger as FastifyServerOptions['logger'] };
  const own = (logger as { mixin?: Mixin }).mixin;
  const both: Mixin = own === undefined ? mixin : (merge, lvl, log) => ({ ...mixin(merge, lvl, log), ...own(merge, lvl, log) });
  return { logger: { ...(logger as object), mixin: both } as FastifyServerOptions['logger'] };
}

/**
 * A Cello application: controllers and functional routes mounted on fastify, with its own
 * tsyringe child container. `S` is the type of `app.state`.
 *
 * @example
 * const app = new App<{ pool: Pool }>({ controllers: [UsersController] });
 * app.get('/hello', () => ({ message: 'Hello, World!' }));
 * const url = await app.listen({ port: 3000 });
 */
export class App<S extends object = Record<string, any>> {
  /** The fastify instance underneath (escape hatch: plugins, hooks). */
  readonly fastify: FastifyInstance;
  /** The app's own container: a child of tsyringe's root, so apps share no singletons. */
  readonly container: DependencyContainer;
  /** App-wide state, e.g. a pool opened in a startup hook; typed by `new App<{ pool: Pool }>()`. */
  readonly state: S = {} as S;
  // Where the request path reports what metrics count; its fields stay null without metrics.
  readonly #observer = new AppObserver();
  /** The response cache: `app.cache.invalidate({ tags })`, `app.cache.clear()`. */
  readonly cache = new ResponseCache({}, this.#observer);
  /** The configuration given to the constructor (what `Config.fromEnv()` read, when spread into it). */
  readonly config: AppConfig;

  readonly #controllers: Constructor[] = [];
  readonly #functional: RouteDefinition[] = [];
  readonly #overrides = new Map<Function, Function>();
  readonly #work = new PendingWork();
  readonly #lifecycle = new Lifecycle();
  readonly #methodIndex = new MethodIndex();
  readonly #features = new FeatureRegistry();
  readonly #middleware: Middleware[] = [];
  #requestCounter = 0;
  #fastPath: CacheFastPath | null = null;
  readonly #options: AppOptions;
  readonly #limits: ServerLimits;
  readonly #runtime: AppRuntime;
  #state: State = 'configuring';
  #table: RouteDefinition[] | undefined;
  #ready: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  // False once close() cut work at shutdownTimeout or a shutdown step failed (exit code 1 on a signal).
  #cleanClose = true;
  #removeSignalHandlers: (() => void) | undefined;
  #removeUncaughtHandlers: (() => void) | undefined;
  /** The request context's storage when `requestContext: true`: it names the request an uncaught error came from. */
  #requestStorage: ReturnType<typeof requestStorage> | null = null;
  #workers: WorkerSupervisor | undefined;

  constructor(options: AppOptions = {}) {
    this.#options = options;
    const { port, host, logLevel, workers, nodeEnv, redisUrl, databaseUrl, extra } = options;
    this.config = Object.freeze({ port, host, logLevel, workers, nodeEnv, redisUrl, databaseUrl, extra });
    const storage = options.requestContext === true ? requestStorage() : null;
    this.#requestStorage = storage;
    const logFields = storage === null ? null : new RequestLogFields(storage);
    const limits = resolveLimits(options, options.fastify ?? {});
    this.#limits = limits;
    this.fastify = Fastify({
      ...options.fastify,
      ...loggerOptions(options.logger, options.logLevel, logFields?.mixin),
      bodyLimit: limits.bodyLimit,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      http: { ...(options.fastify as { http?: object } | undefined)?.http, maxHeaderSize: limits.maxHeaderSize, connectionsCheckingInterval: limits.checkIntervalMs },
      clientErrorHandler: options.fastify?.clientErrorHandler ?? clientErrorHandler(limits, () => this.fastify.log),
      trustProxy: checkTrustProxy(options.trustProxy),
      // Access logs are enableLogging()'s job; fastify's own per-request lines stay off.
      logController: new LogController({ disableRequestLogging: true }),
      return503OnClosing: true,
      genReqId: (raw: IncomingMessage) => {
        const ids = this.#features.get('requestId') as RequestIds | undefined;
        return ids ? ids.idFor(raw) : `req-${(this.#requestCounter++).toString(36)}`;
      },
      routerOptions: { ignoreTrailingSlash: true, ...options.fastify?.routerOptions, maxParamLength: options.maxParamLength ?? options.fastify?.routerOptions?.maxParamLength ?? limits.maxParamLength },
      frameworkErrors: options.fastify?.frameworkErrors
        ?? routerErrors(this.#features, options.maxParamLength ?? options.fastify?.routerOptions?.maxParamLength ?? limits.maxParamLength),
    } as FastifyServerOptions) as unknown as FastifyInstance;
    applyServerLimits(this.fastify.server as Server, limits, options);
    this.#features.add(new UrlLimit(limits.maxUrlLength));
    this.container = (options.container ?? rootContainer).createChildContainer();
    registerSingletons(this.container, (instance) => this.#lifecycle.adopt(instance));
    this.#features.add(new CacheFeature(this.cache));

    for (const [name, value] of Object.entries(requestDecorations)) this.fastify.decorateRequest(name, value);
    installBodyParsers(this.fastify);
    this.fastify.setErrorHandler(handleError);
    this.fastify.setNotFoundHandler((request, reply) => {
      const allowed = this.#methodIndex.allowed(request.url);
      this.#features.unmatched(request, reply, allowed);
      if (reply.sent) return;
      if (allowed.length > 0) {
        reply.header('allow', allowed.join(', '));
        throw HttpError.methodNotAllowed(`Method ${request.method} is not allowed for ${request.url.split('?')[0]}; use ${allowed.join(', ')}`);
      }
      throw HttpError.notFound(`Route ${request.method} ${request.url.split('?')[0]} not found`);
    });

    this.#runtime = {
      container: this.container,
      log: this.fastify.log,
      overrides: this.#overrides,
      work: this.#work,
      streams: new LiveStreams(),
      realtime: realtimeSettings(options.websocket, options.sse),
      multipart: resolveMultipartOptions(options.multipart),
      context: storage,
      logFields,
      blocking: blockingDetectionByDefault(options.nodeEnv) ? new BlockingDetector(this.fastify.log, this.#observer) : null,
      handlerTimeoutMs: limits.handlerTimeoutMs,
      observer: this.#observer,
    };
    this.register(...(options.controllers ?? []));
  }

  // Puts the cache's fast path in front of fastify's request handler on one HTTP server.
  #installFastPath(server: Server): void {
    const fastify = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    if (fastify.length !== 1) return; // not the server fastify made: leave it alone
    const [handle] = fastify as [(req: IncomingMessage, res: ServerResponse) => void];
    const fast = this.#fastPath!;
    server.removeListener('request', handle);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.#state !== 'started' || !fast.tryServe(req, res)) handle(req, res);
    });
  }

  /** The app logger (pino). */
  get log(): FastifyBaseLogger {
    return this.fastify.log;
  }

  /** Adds controllers; only before the app starts. */
  register(...controllers: Constructor[]): this {
    this.#assertConfiguring(`controller ${controllers.map((c) => c.name).join(', ')}`);
    this.#controllers.push(...controllers);
    this.#table = undefined;
    return this;
  }

  /** A functional route on one or more methods; `{id}` and `:id` both declare a parameter. */
  route(methods: HttpMethod | readonly HttpMethod[], path: string, handler: RouteHandler, options: RouteOptions = {}): this {
    return this.#addRoute(methods, path, handler, options, new Error('route declared here'));
  }

  #addRoute(methods: HttpMethod | readonly HttpMethod[], path: string, handler: RouteHandler, options: RouteOptions, site: Error, name?: string): this {
    const list = (typeof methods === 'string' ? [methods] : [...methods]).map((m) => m.toUpperCase() as HttpMethod);
    const label = `${list.join(',')} ${path}`;
    this.#assertConfiguring(`route ${label}`);
    if (typeof handler !== 'function') throw celloError('CELLO_ERR_ROUTE_HANDLER_INVALID', [label, typeof handler], { site });
    for (const m of list) if (!httpMethods.includes(m)) throw celloError('CELLO_ERR_ROUTE_METHOD_UNKNOWN', [label, m, httpMethods.join(', ')], { site });
    const params = functionalParams(handler);
    this.#functional.push({
      kind: 'http',
      methods: list,
      path: joinPath('', path, label),
      controller: null,
      propertyKey: null,
      handlerName: name ?? label,
      handler,
      params,
      schemas: routeSchemas(params, options.response, label),
      options,
      guards: [...(options.guards ?? [])],
      ...routePolicies({}, options, list, label),
      site,
    });
    this.#table = undefined;
    return this;
  }

  get(path: string, handler: RouteHandler, options?: RouteOptions): this { return this.route('GET', path, handler, options); }
  post(path: string, handler: RouteHandler, options?: RouteOptions): this { return this.route('POST', path, handler, options); }
  put(path: string, handler: RouteHandler, options?: RouteOptions): this { return this.route('PUT', path, handler, options); }
  patch(path: string, handler: RouteHandler, options?: RouteOptions): this { return this.route('PATCH', path, handler, options); }
  delete(path: string, handler: RouteHandler, options?: RouteOptions): this { return this.route('DELETE', path, handler, options); }
  head(path: string, handler: RouteHandler, options?: RouteOptions): this { return this.route('HEAD', path, handler, options); }
  options(path: string, handler: RouteHandler, options?: RouteOptions): this { return this.route('OPTIONS', path, handler, options); }
  /** Every method except HEAD (which GET answers). */
  all(path: string, handler: RouteHandler, options?: RouteOptions): this {
    return this.route(httpMethods.filter((m) => m !== 'HEAD'), path, handler, options);
  }

  /**
   * Serves the files under `dir` at `prefix` (GET/HEAD routes `prefix` and `prefix/*`, listed
   * by `cello routes` and left out of the OpenAPI document): content types, Range, ETag /
   * Last-Modified with 304, `Cache-Control` from `maxAge` (seconds), `index.html` for a folder's
   * URL. No listing, and nothing outside `dir`: `..`, encoded or not, absolute paths, null bytes
   * and symlinks that lead out all answer 404 (or 400). The route's features (CORS, security
   * headers, compression, rate limits) apply as to any route.
   *
   * @example
   * app.serveStatic('/assets', './public', { maxAge: 3600 });
   */
  serveStatic(prefix: string, dir: string, options: StaticOptions = {}): this {
    const site = new Error('serveStatic declared here');
    const route = staticRoute(prefix, dir, options);
    for (const path of route.paths) this.#addRoute('GET', path, route.handler, { includeInDocs: false }, site, route.name);
    return this;
  }

  /** Your own middleware around every handler, in the order added (onion). */
  use(middleware: Middleware): this {
    if (typeof middleware !== 'function') throw celloError('CELLO_ERR_MIDDLEWARE_INVALID', [typeof middleware]);
    this.#assertConfiguring('middleware');
    this.#middleware.push(middleware);
    return this;
  }

  /** CORS for every route; no options: any origin, no credentials. */
  enableCors(options: CorsOptions = {}): this {
    return this.enable(new Cors(options));
  }

  /** One JSON access-log line per request (pino). */
  enableLogging(options: LoggingOptions = {}): this {
    return this.enable(new AccessLog(this.log, options));
  }

  /** A rate limit for every route (routes may override with @RateLimit or opt out with @SkipRateLimit). */
  enableRateLimit(rule: RateLimitRule, setup: RateLimitSetup = {}): this {
    if (!isRateLimitRule(rule)) throw celloError('CELLO_ERR_RATE_LIMIT_CONFIG', ['enableRateLimit() takes a RateLimitConfig.tokenBucket(...) or .slidingWindow(...) rule']);
    return this.enable(new RateLimiter(rule, setup, this.#observer));
  }

  /** Verifies `Authorization: Bearer` JWTs and sets `req.user`; routes marked @Public() skip it. */
  enableJwt(options: JwtOptions): this {
    return this.enable(new JwtAuth(options));
  }

  /** Conservative security headers (helmet's defaults) on every response. */
  enableSecurityHeaders(options: SecurityHeadersOptions = {}): this {
    return this.enable(new SecurityHeaders(options));
  }

  /** gzip/br/deflate by Accept-Encoding for compressible bodies above a threshold. */
  enableCompression(options: CompressionOptions = {}): this {
    return this.enable(new Compression(options));
  }

  /** Configures the response cache (`@Cache` works without this, with a bounded memory store). */
  enableCache(setup: CacheSetup = {}): this {
    this.#assertConfiguring('enableCache()');
    this.cache.configure(setup);
    return this;
  }

  /**
   * Times each synchronous stretch a route runs (each guard, each dependency up to its first
   * `await`, the handler up to its first `await`) and logs a warning naming the route, the stage
   * and the time when one is over `thresholdMs` (default 50), at most once a minute per route
   * and stage. On by default unless `NODE_ENV=production`; `false` turns it off.
   *
   * @example
   * app.enableBlockingDetection({ thresholdMs: 20 });
   */
  enableBlockingDetection(options: BlockingDetectionOptions | false = {}): this {
    this.#assertConfiguring('enableBlockingDetection()');
    this.#runtime.blocking = options === false ? null : new BlockingDetector(this.log, this.#observer, options);
    return this;
  }

  /** Reads `x-request-id` (or makes one) and echoes it on the response. */
  enableRequestId(options: RequestIdOptions = {}): this {
    return this.enable(new RequestIds(options));
  }

  /**
   * Serves `/openapi.json` (OpenAPI 3.1, built at startup from the route table and DTOs) and an
   * interactive page at `path` (default `/docs`) whose assets come from the installed
   * swagger-ui-dist, so it works offline.
   *
   * @example
   * app.enableDocs({ title: 'Shop API', version: '1.0.0' });
   */
  enableDocs(options: DocsOptions = {}): this {
    this.#assertConfiguring('enableDocs()');
    // Asked when the document is built (startup), so features enabled after this call count too.
    return this.enable(new DocsFeature(this, options, (name, route) => this.#features.applies(name, route)));
  }

  /**
   * The OpenAPI document `/openapi.json` serves, built now from the route table without starting
   * the app (what `cello client --openapi` writes). Without `enableDocs()`, the default title and
   * version are used.
   */
  openApiDocument(): OpenApiDocument {
    const docs = this.#features.get('docs');
    const feature = docs instanceof DocsFeature ? docs : new DocsFeature({ get: () => this }, {}, (name, route) => this.#features.applies(name, route));
    return feature.document(this);
  }

  /**
   * `/health/live` (the process is up), `/health/ready` (started, not shutting down, and every
   * check passing; 503 from the moment `close()` begins) and `/health/startup`. Checks run in
   * parallel, each with a timeout (default 5 s). The routes skip JWT, rate limits and circuit
   * breakers and stay out of the OpenAPI document unless `includeInDocs` is set.
   *
   * @example
   * app.enableHealthChecks({ checks: { db: () => pool.query('select 1') } });
   */
  enableHealthChecks(options: HealthOptions = {}): this {
    this.#assertConfiguring('enableHealthChecks()');
    return this.enable(new HealthChecks(this, options, () => this.#state));
  }

  /**
   * A circuit breaker per route: after `failureThreshold` consecutive 5xx answers (default 5)
   * the route answers 503 with Retry-After, without calling its handler, for `resetTimeout`
   * seconds (default 30); then up to `halfOpenRequests` probes (default 1) go through: a
   * success closes it, a failure opens it again. Routes override it with `@CircuitBreaker()`
   * or opt out with `@SkipCircuitBreaker()`.
   */
  enableCircuitBreaker(options: CircuitBreakerOptions = {}): this {
    return this.enable(new CircuitBreakers(options, this.log));
  }

  /**
   * Prometheus metrics at `path` (default `/metrics`): request count and duration by method,
   * route pattern (never the raw URL) and status, requests in flight, rate-limit refusals, cache
   * hits and misses, background-task and cleanup failures, event-loop delay and Node process
   * metrics (prom-client). With `listen({ workers })`, one scrape answers for every worker.
   *
   * @example
   * app.enablePrometheus({ path: '/metrics' });
   */
  enablePrometheus(options: PrometheusOptions = {}): this {
    this.#assertConfiguring('enablePrometheus()');
    const metrics = new Prometheus(this.#observer, options);
    this.get(metrics.path, () => metrics.scrape().then((text) => new Response(text, { headers: { 'content-type': metrics.contentType } })),
      { includeInDocs: false, public: true, rateLimit: false, circuitBreaker: false });
    return this.enable(metrics);
  }

  /**
   * OpenTelemetry tracing: a server span per request named `METHOD /route/pattern`, continuing
   * an incoming `traceparent`, with child spans for guards, dependencies and the handler, and
   * the trace id in the request's log lines. Without an SDK registered (before the app starts)
   * it records nothing and costs nothing.
   *
   * @example
   * app.enableTracing();
   */
  enableTracing(options: TracingOptions = {}): this {
    this.#assertConfiguring('enableTracing()');
    this.#runtime.logFields?.addOnce(traceLogFields);
    return this.enable(new Tracing(options));
  }

  /**
   * Adds a feature (what every `enable*()` method does); one with the same name replaces the
   * earlier one. See CONTRIBUTING.md, "Adding a feature".
   */
  enable(feature: Feature): this {
    this.#assertConfiguring(`feature ${feature.name}`);
    this.#features.add(feature);
    return this;
  }

  /** Registers a startup or shutdown hook (sync or async). */
  onEvent(event: LifecycleEvent, hook: LifecycleHook): this {
    this.#lifecycle.on(event, hook);
    return this;
  }

  /** Replaces a dependency everywhere it is used (for tests). */
  overrideDependency<T>(dep: Dependency<T>, replacement: Dependency<T>): this {
    if (typeof dep !== 'function') throw celloError('CELLO_ERR_DI_OVERRIDE_INVALID', ['dep', typeof dep]);
    if (typeof replacement !== 'function') throw celloError('CELLO_ERR_DI_OVERRIDE_INVALID', ['replacement', typeof replacement]);
    this.#overrides.set(dep, replacement);
    return this;
  }

  /** The route table: one row per route, as scanned from controllers and functional routes. */
  routes(): readonly RouteInfo[] {
    return this.#routeTable();
  }

  #routeTable(): RouteDefinition[] {
    if (this.#table === undefined) {
      const table = [...this.#controllers.flatMap((c) => scanController(c)), ...this.#functional];
      checkDuplicates(table);
      this.#table = table;
    }
    return this.#table;
  }

  /** Builds and mounts the routes and runs startup hooks; idempotent. `listen()` and `inject()` call it. */
  ready(): Promise<void> {
    if (this.#state === 'closing' || this.#state === 'closed') return Promise.reject(celloError('CELLO_ERR_APP_CLOSED'));
    return (this.#ready ??= this.#start());
  }

  async #start(): Promise<void> {
    this.#state = 'starting';
    const table = this.#routeTable();
    // Singletons decorated after the app was made (a test declaring classes late) join now.
    registerSingletons(this.container, (instance) => this.#lifecycle.adopt(instance));
    const instances = new Map<Function, object>();
    for (const ctor of this.#controllers) {
      if (instances.has(ctor)) continue;
      const instance = resolveController(this.container, ctor);
      instances.set(ctor, instance);
      this.#lifecycle.adopt(instance);
    }
    // A route-level @RateLimit needs a limiter even when the app has no default limit.
    if (this.#features.get('rateLimit') === undefined && table.some((def) => def.rateLimit)) this.#features.add(new RateLimiter(null, {}, this.#observer));
    if (this.#features.get('circuitBreaker') === undefined && table.some((def) => def.circuitBreaker)) this.#features.add(new CircuitBreakers(null, this.log));
    const offload = await OffloadPool.forRoutes(table, this.#options.offload, this.#shutdownTimeoutMs());
    if (offload !== null) this.#features.add(offload);
    const fastPath = mountRoutes(table, {
      fastify: this.fastify,
      runtime: this.#runtime,
      container: this.container,
      features: this.#features,
      middleware: composeMiddleware(this.#middleware),
      cache: this.cache,
      methodIndex: this.#methodIndex,
      instanceOf: (ctor) => instances.get(ctor)!,
      closeTimeoutMs: this.#shutdownTimeoutMs(),
      offloaded: offload === null ? undefined : (def) => offload.handlerFor(def),
    });
    for (const def of table) freezeRow(def);
    Object.freeze(table);
    await this.fastify.ready();
    await this.#features.start(this);
    await this.#lifecycle.start(this.log);
    // A hook added to fastify itself (app.fastify.addHook, a fastify-plugin) must run on every
    // request: then no hit may skip fastify.
    this.#fastPath = fastPath !== null && !hasUserHooks(this.fastify) ? fastPath : null;
    this.#state = 'started';
    if (this.#fastPath !== null) this.#installFastPath(this.fastify.server as Server);
  }

  /** Starts the app and listens; resolves to the address, e.g. `http://127.0.0.1:3000`. */
  async listen(options: ListenOptions = {}): Promise<string> {
    const workers = workerCount(options.workers ?? this.#options.workers);
    if (workers !== undefined && isClusterPrimary()) {
      if (this.#state === 'closing' || this.#state === 'closed') throw celloError('CELLO_ERR_APP_CLOSED');
      if (this.#state !== 'configuring') throw celloError('CELLO_ERR_WORKERS_AFTER_START');
      // The route table's own errors (a duplicate route) show once here, not in every worker.
      this.#routeTable();
      (this.#features.get('prometheus') as Prometheus | undefined)?.servePrimary();
      this.#workers = superviseWorkers({ count: workers, log: this.log, shutdownTimeoutMs: this.#shutdownTimeoutMs() });
      this.#handleSignals();
      return this.#workers.listening(options.port ?? this.#options.port ?? 3000);
    }
    if (workers !== undefined) {
      followPrimary();
      (this.#features.get('prometheus') as Prometheus | undefined)?.joinCluster();
    }
    let address: string;
    try {
      await this.ready();
      address = await this.fastify.listen({ port: options.port ?? this.#options.port ?? 3000, host: options.host ?? this.#options.host ?? 'localhost' });
    } catch (err) {
      if (workers !== undefined) exitAfterFailedStart();
      throw err;
    }
    const extra = serverBindings(this.fastify).slice(1);
    // fastify makes the other servers of a dual-stack listen without the main one's clientError
    // handler and headersTimeout.
    for (const server of extra) {
      applyServerLimits(server, this.#limits, this.#options);
      if (server.listenerCount('clientError') === 0) {
        const handler = this.#options.fastify?.clientErrorHandler ?? clientErrorHandler(this.#limits, () => this.fastify.log);
        server.on('clientError', handler.bind(this.fastify));
      }
    }
    if (this.#fastPath !== null) for (const server of extra) this.#installFastPath(server);
    // @fastify/websocket listens for upgrades on the main server only; a dual-stack listen
    // ('localhost': ::1 and 127.0.0.1) must take WebSockets on both.
    if (this.#routeTable().some((def) => def.kind === 'websocket')) {
      const main = this.fastify.server;
      for (const server of extra) server.on('upgrade', (req, socket, head) => main.emit('upgrade', req, socket, head));
    }
    this.#handleSignals();
    return address;
  }

  #handleSignals(): void {
    if (this.#options.handleUncaughtErrors !== false && this.#removeUncaughtHandlers === undefined) {
      const storage = this.#requestStorage;
      this.#removeUncaughtHandlers = handleUncaughtErrors({
        ...(storage === null ? {} : { requestId: () => storage.getStore()?.request.id }),
        close: () => this.close().then(() => this.#cleanClose),
        describePending: () => `${openConnections(this.fastify)} open connection(s), ${this.#work.size} request(s) still running a handler, cleanup or background tasks`,
        timeoutMs: this.#shutdownTimeoutMs(),
        log: this.log,
      });
    }
    if (this.#options.handleSignals !== false && this.#removeSignalHandlers === undefined) {
      this.#removeSignalHandlers = handleSignals({
        close: () => this.close().then(() => this.#cleanClose),
        describePending: () => this.#workers !== undefined
          ? `${this.#workers.size} worker(s) still running`
          : `${openConnections(this.fastify)} open connection(s), ${this.#work.size} request(s) still running a handler, cleanup or background tasks`,
        // A primary waits for its workers, and kills a hung one a little after shutdownTimeout.
        timeoutMs: this.#shutdownTimeoutMs() + (this.#workers !== undefined ? killGraceMs : 0),
        log: this.log,
      });
    }
  }

  /** Sends a request without a socket (fastify's inject); starts the app on first use. */
  async inject(options: InjectOptions | string): Promise<LightMyRequestResponse> {
    await this.ready();
    return this.fastify.inject(options);
  }

  /**
   * Graceful shutdown, idempotent: stop accepting, finish in-flight requests (handlers still
   * running, even for clients that went away), wait for dependency cleanup and background tasks
   * (up to `shutdownTimeout`), then shutdown hooks, then the features' stores.
   */
  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  async #close(): Promise<void> {
    const wasStarted = this.#state === 'started' || this.#state === 'starting';
    this.#state = 'closing';
    const deadline = Date.now() + this.#shutdownTimeoutMs();
    try {
      // The primary of a cluster started nothing itself: its work is stopping the workers.
      if (this.#workers !== undefined && !(await this.#workers.stop())) this.#cleanClose = false;
      if (wasStarted) await this.#ready?.catch(() => undefined);
      // Event streams would hold their connections until the deadline: they end first (their
      // sources' finally runs); WebSockets get 1001 from the plugin's preClose, in drainServers.
      this.#runtime.streams.endAll();
      const cut = await drainServers(this.fastify, deadline);
      const idle = await this.#work.whenIdle(deadline - Date.now());
      if (cut > 0 || !idle) {
        this.#cleanClose = false;
        this.log.error({ code: 'CELLO_ERR_LIFECYCLE_SHUTDOWN_TIMEOUT' }, `shutdownTimeout reached: cut ${cut} open connection(s), ${this.#work.size} request(s) still running a handler, cleanup or background tasks`);
      }
      if (wasStarted && !(await this.#lifecycle.stop(this.log))) this.#cleanClose = false;
      await this.#features.close(this.log);
    } finally {
      this.#state = 'closed';
      // Removed only now: a second signal during the drain must still force the exit.
      this.#removeSignalHandlers?.();
      this.#removeSignalHandlers = undefined;
      this.#removeUncaughtHandlers?.();
      this.#removeUncaughtHandlers = undefined;
    }
  }

  #shutdownTimeoutMs(): number {
    return (this.#options.shutdownTimeout ?? 10) * 1000;
  }

  #assertConfiguring(what: string): void {
    if (this.#state !== 'configuring') throw celloError('CELLO_ERR_ROUTE_AFTER_START', [what]);
  }
}

// What fastify does not set from its options: the time allowed for a request's headers. A server
// made by the user's serverFactory keeps its own settings, except those given to the App itself.
function applyServerLimits(server: Server, limits: ServerLimits, options: AppOptions): void {
  if (typeof server?.headersTimeout !== 'number') return;
  const own = options.fastify?.serverFactory !== undefined;
  if (!own || options.headersTimeout !== undefined || options.requestTimeout !== undefined) server.headersTimeout = limits.headersTimeoutMs;
  if (!own || options.requestTimeout !== undefined) server.requestTimeout = limits.requestTimeoutMs;
  if (own && options.keepAliveTimeout !== undefined) server.keepAliveTimeout = limits.keepAliveTimeoutMs;
}

// Rows are data the app hands out (`app.routes()`, `ctx.route`): nothing may change them once
// routes are compiled. The JSON Schemas inside stay shared with the validators that compiled them.
function freezeRow(def: RouteDefinition): void {
  for (const p of def.params) Object.freeze(p);
  Object.freeze(def.params);
  Object.freeze(def.schemas);
  Object.freeze(def.guards);
  Object.freeze(def.options);
  Object.freeze(def);
}

function checkDuplicates(table: readonly RouteDefinition[]): void {
  const seen = new Map<string, RouteDefinition>();
  for (const def of table) {
    // `/a/:id` and `/a/:slug` are the same route to the router.
    const shape = def.path.replace(/:[^/]+/g, ':');
    for (const method of def.methods) {
      const key = `${method} ${shape}`;
      const other = seen.get(key);
      if (other) throw celloError('CELLO_ERR_ROUTE_DUPLICATE', [method, def.path, other.handlerName, def.handlerName], { site: def.site });
      seen.set(key, def);
    }
  }
}
