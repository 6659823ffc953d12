// The public API of @cello/core, and nothing else. Internal code never imports this file.
import 'reflect-metadata';

if (typeof Reflect.getMetadata !== 'function') {
  throw new Error('@cello/core needs the reflect-metadata polyfill: run `npm install reflect-metadata`.');
}

// A class used in emitted decorator metadata before its declaration fails the app's module
// at load, before Cello runs: the error report then says which class and how to fix it.
import { explainUsedBeforeDeclaration } from './errors/used-before-declaration.js';
explainUsedBeforeDeclaration();

export { App } from './app.js';
export type { AppOptions, AppConfig, ListenOptions, RouteHandler } from './app.js';
export type { WorkersOption } from './workers/options.js';

export { Controller } from './decorators/controller.js';
export { Get, Post, Put, Patch, Delete, Head, Options, All } from './decorators/route.js';
export { Body, Query, Param, Header, Form } from './decorators/params.js';
export { UploadedFile, UploadedFiles } from './decorators/uploaded-file.js';
export type { UploadedFileOptions, UploadedFilesOptions } from './decorators/uploaded-file.js';
export type { MultipartOptions, UploadStorage } from './files/multipart-options.js';
export { Inject } from './decorators/inject.js';
export { Injectable, Singleton } from './decorators/injectable.js';
export type { ControllerOptions, RouteOptions, RouteKind, Constructor } from './metadata/types.js';

export { WebSocket, Sse } from './decorators/realtime.js';
export type { WebSocketRouteOptions, SseRouteOptions } from './decorators/realtime.js';
export { WebSocketConnection } from './realtime/websocket-connection.js';
export type { WebSocketData, WebSocketClose } from './realtime/websocket-connection.js';
export { WebSocketMessage } from './realtime/websocket-message.js';
export type { WebSocketOptions, SseOptions } from './realtime/realtime-options.js';
export { Request } from './http/request.js';
export { Response } from './http/response.js';
export type { ResponseInit, SseInit, SseEvent, HeaderValue, FileResponseOptions } from './http/response.js';
export type { StaticOptions } from './files/serve-static.js';
export { HttpError } from './http/http-error.js';
export type { HttpErrorOptions } from './http/http-error.js';
export type { ErrorBody } from './http/error-response.js';
export type { HttpMethod } from './http/methods.js';

export { CelloError } from './errors/cello-error.js';
export { codes as errorCodes } from './errors/codes.js';
export type { CelloErrorCode } from './errors/codes.js';

export { RequestContext } from './di/request-context.js';
export type { BlockingDetectionOptions, BlockedStretch } from './blocking/blocking-detector.js';
export { Depends } from './di/depends.js';
export type { Dependency, DependencyValue, DependsOptions } from './di/dependency.js';
export { BackgroundTasks } from './background/background-tasks.js';
export type { TaskFunction } from './background/background-tasks.js';
export type { OnStartup, OnShutdown, LifecycleEvent, LifecycleHook } from './lifecycle/hooks.js';

export type { Guard, GuardLike } from './guards/guard.js';
export { Guards } from './decorators/guards.js';
export { RoleGuard } from './guards/role-guard.js';
export type { RoleGuardOptions } from './guards/role-guard.js';
export { Authenticated } from './guards/authenticated.js';

export { Public, RateLimit, SkipRateLimit, CircuitBreaker, SkipCircuitBreaker } from './decorators/route-flags.js';
export type { CircuitBreakerOptions } from './breaker/breaker-options.js';
export type { HealthOptions, HealthCheck, HealthCheckSpec } from './health/health-options.js';
export type { HealthBody } from './health/health-checks.js';
export type { CheckResult, CheckStatus } from './health/run-check.js';
export { Config } from './config/config.js';
export type { EnvConfig, ExtraValues, FromEnvOptions, LogLevel } from './config/from-env.js';
export type { EnvVar, VarOptions } from './config/env-var.js';
export type { NumberOptions, StringOptions, UrlOptions } from './config/var-types.js';
export { Offload } from './decorators/offload.js';
export type { OffloadOptions } from './offload/offload-options.js';
export type { Middleware } from './middleware/middleware.js';
export type { CorsOptions } from './middleware/cors.js';
export type { LoggingOptions } from './middleware/access-log.js';
export type { JwtOptions } from './middleware/jwt/options.js';
export type { SecurityHeadersOptions } from './middleware/security-headers.js';
export type { CompressionOptions } from './middleware/compression.js';
export type { RequestIdOptions } from './middleware/request-id.js';
export { RateLimitConfig } from './middleware/rate-limit/config.js';
export type { RateLimitRule, RateLimitOptions, RateLimitAlgorithm } from './middleware/rate-limit/config.js';
export type { RateLimitStore, RateLimitDecision } from './middleware/rate-limit/store.js';
export { MemoryRateLimitStore } from './middleware/rate-limit/memory-store.js';
export type { MemoryRateLimitStoreOptions } from './middleware/rate-limit/memory-store.js';
export type { RateLimitSetup } from './middleware/rate-limit/rate-limiter.js';

export { Cache, InvalidateCache } from './decorators/cache.js';
export type { CacheOptions, CachePolicy, InvalidateOptions } from './cache/cache-options.js';
export type { CacheStore, CacheEntry } from './cache/cache-store.js';
export { MemoryCacheStore } from './cache/memory-cache-store.js';
export type { MemoryCacheStoreOptions } from './cache/memory-cache-store.js';
export { ResponseCache } from './cache/response-cache.js';
export type { CacheSetup } from './cache/response-cache.js';

export type { RouteInfo, ParamInfo, ParamKind, RouteSchemas } from './routing/route-info.js';
export type { Feature, RouteHooks } from './features/feature.js';
export type { FieldError } from './validation/validation-error.js';
export type { DocsOptions, OpenApiDocument } from './openapi/types.js';
export type { PrometheusOptions } from './metrics/prometheus-options.js';
export type { TracingOptions } from './tracing/tracing-options.js';
