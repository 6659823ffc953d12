import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { AppRuntime } from '../app-runtime.js';
import { closeBeforeResponse, RequestContext, settleRequest } from '../di/request-context.js';
import { toPayload, type ResultPolicy } from '../http/send-result.js';
import { checkGuards } from '../guards/run-guards.js';
import type { Guard } from '../guards/guard.js';
import type { Composed } from '../middleware/middleware.js';
import { CacheStage } from '../cache/cache-stage.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { Response } from '../http/response.js';
import { planBinder, type Binder } from './bind-params.js';
import type { RouteDefinition } from './route-table.js';

export interface CompileEnv {
  readonly runtime: AppRuntime;
  /** The controller instance, or null for a functional route. */
  readonly instance: object | null;
  /** The route's guards as instances (null: none). */
  readonly guards: readonly Guard[] | null;
  /** `app.use()` middleware composed once (null: none). */
  readonly middleware: Composed | null;
  /** The app's response cache (used by routes with a cache policy or tags to invalidate). */
  readonly cache: ResponseCache;
  /** The route's response serializer (from its `response` DTO), for bytes the cache stores. */
  readonly serialize?: ((value: unknown) => string) | null;
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

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function isAsyncFunction(fn: Function): boolean {
  return fn.constructor?.name === 'AsyncFunction';
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

async function finishScoped(value: PromiseLike<unknown>, ctx: RequestContext, reply: FastifyReply, policy: ResultPolicy): Promise<unknown> {
  let result: unknown;
  try {
    result = await value;
    const closing = closeBeforeResponse(ctx, undefined);
    if (closing !== undefined) await closing;
  } catch (err) {
    await failScoped(ctx, err);
  }
  settleRequest(ctx, undefined);
  return toPayload(reply, result, policy);
}

async function failScoped(ctx: RequestContext, err: unknown): Promise<never> {
  try {
    const closing = closeBeforeResponse(ctx, err);
    if (closing !== undefined) await closing;
  } finally {
    settleRequest(ctx, err);
  }
  throw err;
}

// The general path: guards, then the cache, then the middleware onion around binding + handler.
// Parameters are bound inside the onion so middleware sees validation errors like any other.
async function runStaged(stages: Stages, ctx: RequestContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  let payload: unknown;
  try {
    if (stages.guards !== null) await checkGuards(stages.guards, ctx);
    if (stages.cache !== null) {
      payload = await stages.cache.serve(ctx, request, reply, (c, r) => runHandler(stages, c, r));
    } else {
      const result = await runHandler(stages, ctx, request);
      if (stages.invalidate !== null) await stages.invalidate(result);
      payload = toPayload(reply, result, stages.policy);
    }
    const closing = closeBeforeResponse(ctx, undefined);
    if (closing !== undefined) await closing;
  } catch (err) {
    await failScoped(ctx, err);
  }
  settleRequest(ctx, undefined);
  return payload;
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
 * method is never wrapped in a promise.
 */
export function compileRoute(def: RouteDefinition, env: CompileEnv): RouteHandlerMethod {
  const plans = def.params.map((p) => planBinder(p, env.runtime));
  const binders = plans.map((p) => p.bind);
  const asyncAt = plans.map((p) => p.isAsync);
  const hasAsyncParams = asyncAt.includes(true);
  const needsContext = plans.some((p) => p.needsContext);
  const policy: ResultPolicy = { status: def.options.status ?? 200, explicitStatus: def.options.status !== undefined };
  const fn = def.handler;
  const call = hasAsyncParams ? makeAsyncCall(fn, env.instance, binders, asyncAt) : makeCall(fn, env.instance, binders);
  const runtime = env.runtime;

  const cache = def.cache === null ? null : new CacheStage({ route: def.path, policy: def.cache, cache: env.cache, result: policy, json: env.serialize ?? undefined });
  const invalidate = makeInvalidate(def.invalidateTags, env.cache, policy);
  if (env.guards !== null || env.middleware !== null || cache !== null || invalidate !== null) {
    const stages: Stages = { guards: env.guards, cache, middleware: env.middleware, invalidate, call, policy };
    return function celloStagedRoute(request, reply) {
      return runStaged(stages, new RequestContext(request, reply, def, runtime), request, reply);
    };
  }

  if (!needsContext) {
    if (isAsyncFunction(fn)) {
      return async function celloAsyncRoute(request, reply) {
        return toPayload(reply, await call(null, request), policy);
      };
    }
    return function celloRoute(request, reply) {
      const value = call(null, request);
      if (isThenable(value)) return finishAsync(value, reply, policy);
      reply.send(toPayload(reply, value, policy));
      return undefined;
    };
  }

  if (hasAsyncParams) {
    // Dependencies: one async frame binds (awaiting each dependency in parameter order), calls
    // and settles, instead of a bound-arguments promise awaited by another function.
    const self = env.instance;
    const count = binders.length;
    return async function celloDependentRoute(request, reply) {
      const ctx = new RequestContext(request, reply, def, runtime);
      let result: unknown;
      try {
        const args = new Array<unknown>(count);
        for (let i = 0; i < count; i++) args[i] = asyncAt[i] ? await binders[i]!(ctx, request) : binders[i]!(ctx, request);
        result = fn.apply(self, args);
        if (isThenable(result)) result = await result;
        const closing = closeBeforeResponse(ctx, undefined);
        if (closing !== undefined) await closing;
      } catch (err) {
        await failScoped(ctx, err);
      }
      settleRequest(ctx, undefined);
      return toPayload(reply, result, policy);
    };
  }

  return function celloScopedRoute(request, reply) {
    const ctx = new RequestContext(request, reply, def, runtime);
    let value: unknown;
    try {
      value = call(ctx, request);
    } catch (err) {
      return failScoped(ctx, err);
    }
    if (isThenable(value)) return finishScoped(value, ctx, reply, policy);
    settleRequest(ctx, undefined);
    reply.send(toPayload(reply, value, policy));
    return undefined;
  };
}
