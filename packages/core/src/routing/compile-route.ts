import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { AppRuntime } from '../app-runtime.js';
import { timedBinder, timedHandler } from '../blocking/timed.js';
import { runInRequestContext } from '../context/context-route.js';
import { dependencyName } from '../di/dependency.js';
import type { RequestContext } from '../di/request-context.js';
import { Exchange } from '../exchange/exchange.js';
import { toPayload, type ResultPolicy } from '../http/send-result.js';
import { isThenable } from '../http/thenable.js';
import { checkGuards } from '../guards/run-guards.js';
import type { Guard } from '../guards/guard.js';
import type { Composed } from '../middleware/middleware.js';
import { CacheStage } from '../cache/cache-stage.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { Response } from '../http/response.js';
import { sseHandler } from '../realtime/sse-route.js';
import { withHandlerTimeout } from '../limits/handler-timeout.js';
import { routeHandlerTimeoutMs } from '../limits/server-limits.js';
import { paramKinds } from './params/kinds.js';
import type { Binder, BinderPlan } from './params/param-kind.js';
import type { RouteDefinition } from './route-table.js';
import type { RouteTracing } from '../tracing/route-tracing.js';

export interface CompileEnv {
  readonly runtime: AppRuntime;
  /** The controller instance, or null for a functional route. */
  readonly instance: object | null;
  /** The route's guards that read the body, as instances (null: none); the others run in its onRequest hook. */
  readonly guards: readonly Guard[] | null;
  /** The route's exchange is made before the handler (by its guard hook) and taken over here. */
  readonly early: boolean;
  /** `app.use()` middleware composed once (null: none). */
  readonly middleware: Composed | null;
  /** The app's response cache (used by routes with a cache policy or tags to invalidate). */
  readonly cache: ResponseCache;
  /** The route's response serializer (from its `response` DTO), for bytes the cache stores. */
  readonly serialize?: ((value: unknown) => string) | null;
  /** Called instead of the method: an `@Offload()` route's call to the worker pool. */
  readonly offloaded?: ((...args: unknown[]) => Promise<unknown>) | undefined;
  /** Child spans for dependencies and the handler, when tracing records (null: none). */
  readonly tracing?: RouteTracing | null;
}

/** The stages a request passes through around the handler; null stages are skipped. */
interface Stages {
  readonly guards: readonly Guard[] | null;
  readonly cache: CacheStage | null;
  readonly middleware: Composed | null;
  readonly invalidate: ((result: unknown) => Promise<void> | undefined) | null;
  readonly call: Call;
  readonly policy: ResultPolicy;
}

type Call = (ctx: RequestContext | null, request: FastifyRequest) => unknown;

function isAsyncFunction(fn: Function): boolean {
  return fn.constructor?.name === 'AsyncFunction';
}

function planBinder(def: RouteDefinition, index: number, runtime: AppRuntime): BinderPlan {
  const p = def.params[index]!;
  return paramKinds.get(p.kind)!.bind(p, runtime, def);
}

// Specialized by arity so the common cases call the method without building an arguments array.
function makeCall(fn: Function, self: object | null, binders: readonly Binder[]): Call {
  switch (binders.length) {
    case 0:
      return () => fn.call(self);
    case 1: {
      const [b0] = binders as [Binder];
      return (ctx, r) => fn.call(self, b0(ctx, r));
    }
    case 2: {
      const [b0, b1] = binders as [Binder, Binder];
      return (ctx, r) => fn.call(self, b0(ctx, r), b1(ctx, r));
    }
    case 3: {
      const [b0, b1, b2] = binders as [Binder, Binder, Binder];
      return (ctx, r) => fn.call(self, b0(ctx, r), b1(ctx, r), b2(ctx, r));
    }
    default:
      return (ctx, r) => fn.apply(self, binders.map((b) => b(ctx, r)));
  }
}

// Binds parameters in order, awaiting each dependency before the next: resolution order, and so
// cleanup order, is the order of the parameters.
function makeAsyncCall(fn: Function, self: object | null, binders: readonly Binder[], asyncAt: readonly boolean[]): Call {
  return async (ctx, r) => {
    const args = new Array<unknown>(binders.length);
    for (let i = 0; i < binders.length; i++) {
      args[i] = asyncAt[i] ? await binders[i]!(ctx, r) : binders[i]!(ctx, r);
    }
    return fn.apply(self, args);
  };
}

async function finishAsync(value: PromiseLike<unknown>, reply: FastifyReply, policy: ResultPolicy): Promise<unknown> {
  return toPayload(reply, await value, policy);
}

// A handler with no exchange still counts as running until it settles, so close() waits for it.
async function finishCounted(value: PromiseLike<unknown>, reply: FastifyReply, policy: ResultPolicy, runtime: AppRuntime): Promise<unknown> {
  runtime.work.started();
  try {
    return toPayload(reply, await value, policy);
  } finally {
    runtime.work.done();
  }
}

async function finishScoped(value: PromiseLike<unknown>, ex: Exchange, reply: FastifyReply, policy: ResultPolicy): Promise<unknown> {
  let result: unknown;
  try {
    result = await value;
  } catch (err) {
    return ex.fail(err);
  }
  return toPayload(reply, await ex.finish(result), policy);
}

// The general path: body-reading guards, then the cache, then the middleware onion around
// binding + handler. Parameters are bound inside the onion so middleware sees validation
// errors like any other.
async function runStaged(stages: Stages, ex: Exchange, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  let payload: unknown;
  try {
    if (stages.guards !== null) await checkGuards(stages.guards, ex);
    if (stages.cache !== null) {
      payload = await stages.cache.serve(ex, request, reply, (c, r) => runHandler(stages, c, r));
    } else {
      const result = await runHandler(stages, ex, request);
      if (stages.invalidate !== null) await stages.invalidate(result);
      payload = toPayload(reply, result, stages.policy);
      // A file answer (a promise): its failure (404, 416) is the request's error, seen by cleanups.
      if (isThenable(payload)) payload = await payload;
    }
  } catch (err) {
    return ex.fail(err);
  }
  return ex.finish(payload);
}

function runHandler(stages: Stages, ctx: RequestContext, request: FastifyRequest): unknown {
  return stages.middleware !== null ? stages.middleware(ctx, () => stages.call(ctx, request)) : stages.call(ctx, request);
}

function successStatus(result: unknown, policy: ResultPolicy): number {
  if (result instanceof Response) return result.status;
  return result === undefined || result === null ? (policy.explicitStatus ? policy.status : 204) : policy.status;
}

// Invalidation happens before the response is sent, so a client that reads right after its
// write never sees the stale entry.
function makeInvalidate(tags: readonly string[] | null, cache: ResponseCache, policy: ResultPolicy): Stages['invalidate'] {
  if (tags === null) return null;
  return (result) => {
    const status = successStatus(result, policy);
    return status >= 200 && status < 300 ? cache.invalidate({ tags }) : undefined;
  };
}

/**
 * Compiles one route table row into the fastify handler for it. The shape of the handler is
 * chosen here, once: a route with no per-request context calls the method directly; a sync
 * method is never wrapped in a promise. Every shape with a context ends its exchange with
 * `finish(result)` or `fail(error)`.
 */
export function compileRoute(def: RouteDefinition, env: CompileEnv): RouteHandlerMethod {
  const timeoutMs = routeHandlerTimeoutMs(def.options.handlerTimeout, def.handlerName) ?? env.runtime.handlerTimeoutMs;
  const handler = compileHandler(def, env, timeoutMs > 0);
  return timeoutMs > 0 ? withHandlerTimeout(handler, timeoutMs) : handler;
}

// `timed`: the route has a handlerTimeout, so every request gets an exchange the timeout can
// settle, found on the request.
function compileHandler(def: RouteDefinition, env: CompileEnv, timed: boolean): RouteHandlerMethod {
  const runtime = env.runtime;
  const storage = runtime.context;
  const blocking = runtime.blocking;
  const plans = def.params.map((_, i) => planBinder(def, i, runtime));
  const label = routeLabel(def);
  const tracing = env.tracing ?? null;
  const binders = plans.map((p, i) => {
    const bind = blocking !== null && p.isAsync ? timedBinder(p.bind, label, stageOf(def, i), blocking) : p.bind;
    return tracing !== null && def.params[i]!.kind === 'depends' ? tracing.dependency(bind, dependencyName(def.params[i]!.token as Function)) : bind;
  });
  const asyncAt = plans.map((p) => p.isAsync);
  const hasAsyncParams = asyncAt.includes(true);
  // With the request context on, every route has an exchange: it is what `current()` returns.
  const needsContext = storage !== null || env.early || timed || plans.some((p) => p.needsContext);
  const policy: ResultPolicy = {
    status: def.options.status ?? 200,
    explicitStatus: def.options.status !== undefined,
    streams: { live: runtime.streams, heartbeat: runtime.realtime.heartbeat, label: def.handlerName },
  };
  const method = def.kind === 'sse' ? sseHandler(def) : env.offloaded ?? def.handler;
  const fn = blocking !== null ? timedHandler(method, label, blocking) : method;
  const direct = hasAsyncParams ? makeAsyncCall(fn, env.instance, binders, asyncAt) : makeCall(fn, env.instance, binders);
  const call = tracing === null ? direct : tracing.handler(direct, def.handlerName);
  // The exchange of this request: the one the guard hook made, or a new one.
  const made = env.early
    ? (request: FastifyRequest, reply: FastifyReply) => request.celloExchange?.claim() ?? new Exchange(request, reply, def, runtime)
    : timed
      ? (request: FastifyRequest, reply: FastifyReply) => (request.celloExchange = new Exchange(request, reply, def, runtime))
      : (request: FastifyRequest, reply: FastifyReply) => new Exchange(request, reply, def, runtime);
  // In the request context the wrapper has made it already (it is the store).
  const exchange = storage === null ? made : (request: FastifyRequest) => request.celloExchange!;
  const handler = compileShape(def, { env, runtime, call, fn, binders, asyncAt, hasAsyncParams, needsContext, policy, exchange, isAsync: isAsyncFunction(method) });
  return storage === null ? handler : runInRequestContext(handler, storage, made);
}

// What a blocking warning calls an async parameter's binder: a dependency by its name.
function stageOf(def: RouteDefinition, index: number): string {
  const p = def.params[index]!;
  return p.kind === 'depends' ? `dependency ${dependencyName(p.token as Function)}` : `${p.kind} parameter ${index}`;
}

/** `GET /users/:id`: how warnings name a route. */
function routeLabel(def: RouteDefinition): string {
  return `${def.methods.join(',')} ${def.path}`;
}

interface ShapeInputs {
  readonly env: CompileEnv;
  readonly runtime: AppRuntime;
  readonly call: Call;
  readonly fn: Function;
  readonly binders: readonly Binder[];
  readonly asyncAt: readonly boolean[];
  readonly hasAsyncParams: boolean;
  readonly needsContext: boolean;
  readonly policy: ResultPolicy;
  readonly exchange: (request: FastifyRequest, reply: FastifyReply) => Exchange;
  readonly isAsync: boolean;
}

// The handler's shape, chosen once: the fewest stages, promises and allocations the route allows.
function compileShape(def: RouteDefinition, inputs: ShapeInputs): RouteHandlerMethod {
  const { env, runtime, call, fn, binders, asyncAt, hasAsyncParams, needsContext, policy, exchange } = inputs;

  const cache = def.cache === null ? null : new CacheStage({ route: def.path, policy: def.cache, cache: env.cache, result: policy, json: env.serialize ?? undefined });
  const invalidate = makeInvalidate(def.invalidateTags, env.cache, policy);
  // A traced route takes the staged path: the one place its handler (with its spans) is called.
  if (env.guards !== null || env.middleware !== null || cache !== null || invalidate !== null || (env.tracing ?? null) !== null) {
    const stages: Stages = { guards: env.guards, cache, middleware: env.middleware, invalidate, call, policy };
    return function celloStagedRoute(request, reply) {
      return runStaged(stages, exchange(request, reply), request, reply);
    };
  }

  if (!needsContext) {
    if (inputs.isAsync) {
      return async function celloAsyncRoute(request, reply) {
        runtime.work.started();
        try {
          return toPayload(reply, await call(null, request), policy);
        } finally {
          runtime.work.done();
        }
      };
    }
    return function celloRoute(request, reply) {
      const value = call(null, request);
      if (isThenable(value)) return finishCounted(value, reply, policy, runtime);
      const payload = toPayload(reply, value, policy);
      // Only a file answer is a promise; fastify awaits one returned by the handler.
      if (isThenable(payload)) return payload;
      reply.send(payload);
      return undefined;
    };
  }

  if (hasAsyncParams) {
    // Dependencies: one async frame binds (awaiting each dependency in parameter order), calls
    // and settles, instead of a bound-arguments promise awaited by another function.
    const self = env.instance;
    const count = binders.length;
    return async function celloDependentRoute(request, reply) {
      const ex = exchange(request, reply);
      let result: unknown;
      try {
        const args = new Array<unknown>(count);
        for (let i = 0; i < count; i++) args[i] = asyncAt[i] ? await binders[i]!(ex, request) : binders[i]!(ex, request);
        result = fn.apply(self, args);
        if (isThenable(result)) result = await result;
      } catch (err) {
        return ex.fail(err);
      }
      result = ex.finish(result);
      return toPayload(reply, isThenable(result) ? await result : result, policy);
    };
  }

  return function celloScopedRoute(request, reply) {
    const ex = exchange(request, reply);
    let value: unknown;
    try {
      value = call(ex, request);
    } catch (err) {
      return ex.fail(err);
    }
    if (isThenable(value)) return finishScoped(value, ex, reply, policy);
    const result = ex.finish(value);
    if (isThenable(result)) return finishAsync(result, reply, policy);
    const payload = toPayload(reply, result, policy);
    if (isThenable(payload)) return payload;
    reply.send(payload);
    return undefined;
  };
}
