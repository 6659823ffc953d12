import fastJson from 'fast-json-stringify';
import type { FastifyInstance, onRequestHookHandler, RouteOptions } from 'fastify';
import type { DependencyContainer } from 'tsyringe';
import type { AppRuntime } from '../app-runtime.js';
import { CacheFastPath } from '../cache/fast-path.js';
import { MemoryCacheStore } from '../cache/memory-cache-store.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { FeatureRegistry } from '../features/registry.js';
import { isMultipartRoute } from '../files/multipart-plan.js';
import { mountMultipartRoutes } from '../files/mount-multipart.js';
import { guardName } from '../guards/guard.js';
import { guardHook, instantiateGuards } from '../guards/run-guards.js';
import { timedGuard } from '../blocking/timed.js';
import type { Tracing } from '../tracing/tracing.js';
import type { Composed } from '../middleware/middleware.js';
import { celloError } from '../errors/cello-error.js';
import { mountWebSocketRoutes, type WebSocketFastifyRoute } from '../realtime/websocket-mount.js';
import { compileWebSocketRoute } from '../realtime/websocket-route.js';
import { compileRoute } from './compile-route.js';
import { routeBodyLimit } from '../limits/server-limits.js';
import type { MethodIndex } from './method-index.js';
import type { RouteDefinition } from './route-table.js';

export interface MountEnv {
  readonly fastify: FastifyInstance;
  readonly runtime: AppRuntime;
  readonly container: DependencyContainer;
  readonly features: FeatureRegistry;
  readonly middleware: Composed | null;
  readonly cache: ResponseCache;
  readonly methodIndex: MethodIndex;
  /** The app's instance of a controller. */
  instanceOf(controller: Function): object;
  /** How long close() waits for WebSocket clients to answer the 1001, in ms. */
  readonly closeTimeoutMs: number;
  /** The worker pool's stand-in for an `@Offload()` method (undefined: the route runs the method). */
  offloaded?(def: RouteDefinition): ((...args: unknown[]) => Promise<unknown>) | undefined;
}

function checkSocketParam(def: RouteDefinition): void {
  if (def.kind === 'websocket') return;
  const p = def.params.find((q) => q.kind === 'websocket');
  if (p !== undefined) throw celloError('CELLO_ERR_WEBSOCKET_PARAM_OUTSIDE', [def.handlerName, p.index], { site: def.site });
}

/**
 * Hands every row of the route table to fastify: the features' hooks in their order, then the
 * guards that run before the body is read, then the compiled handler. Returns the cache's fast
 * path with the routes it may answer (null when there is none).
 */
export function mountRoutes(table: readonly RouteDefinition[], env: MountEnv): CacheFastPath | null {
  const fastPath = env.cache.store instanceof MemoryCacheStore ? new CacheFastPath(env.cache) : null;
  const sockets: WebSocketFastifyRoute[] = [];
  let maxPayload = env.runtime.realtime.maxPayload;
  const multipart: RouteOptions[] = [];
  // Null unless tracing records (an SDK is registered): then routes are compiled with child spans.
  const tracing = (env.features.get('tracing') as Tracing | undefined)?.routeTracing ?? null;
  for (const def of table) {
    checkSocketParam(def);
    const blocking = env.runtime.blocking;
    const instances = def.guards.length > 0 ? instantiateGuards(def.guards, env.container, def.handlerName, def.site) : [];
    const timed = blocking === null ? instances : instances.map((g) => timedGuard(g, `${def.methods.join(',')} ${def.path}`, blocking));
    const guards = tracing !== null && def.kind !== 'websocket' ? timed.map((g, i) => tracing.guard(g, guardName(def.guards[i]!))) : timed;
    if (def.kind === 'websocket') {
      const limit = def.options.maxPayload ?? env.runtime.realtime.maxPayload;
      maxPayload = Math.max(maxPayload, limit);
      const compiled = compileWebSocketRoute(def, { runtime: env.runtime, instance: def.controller ? env.instanceOf(def.controller) : null, guards, maxPayload: limit });
      const hooks = env.features.hooksFor(def);
      sockets.push({ method: 'GET', url: def.path, ...hooks, onRequest: [...(hooks.onRequest ?? []), compiled.prepare], handler: compiled.handler });
      env.methodIndex.add(def.methods, def.path);
      continue;
    }
    const early = guards.filter((g) => g.readsBody !== true);
    const late = guards.filter((g) => g.readsBody === true);
    const hooks = env.features.hooksFor(def);
    const onRequest: onRequestHookHandler[] = [...(hooks.onRequest ?? [])];
    if (early.length > 0) onRequest.push(guardHook(early, def, env.runtime));
    fastPath?.add(def, !env.features.allowsFastPath(def));
    const response = def.schemas.response;
    const bodyLimit = routeBodyLimit(def.options.bodyLimit, def.handlerName);
    const route: RouteOptions = {
      method: [...def.methods],
      url: def.path,
      ...(response === undefined ? {} : { schema: { response: { '2xx': response } } }),
      ...(bodyLimit === undefined ? {} : { bodyLimit }),
      ...hooks,
      ...(onRequest.length > 0 ? { onRequest } : {}),
      handler: compileRoute(def, {
        runtime: env.runtime,
        instance: def.controller ? env.instanceOf(def.controller) : null,
        guards: late.length > 0 ? late : null,
        early: early.length > 0,
        middleware: env.middleware,
        cache: env.cache,
        serialize: response !== undefined && def.cache !== null ? fastJson(response) : null,
        offloaded: env.offloaded?.(def),
        tracing,
      }),
    };
    if (isMultipartRoute(def)) multipart.push(route);
    else env.fastify.route(route);
    env.methodIndex.add(def.methods, def.path);
  }
  if (sockets.length > 0) mountWebSocketRoutes(env.fastify, sockets, { maxPayload, closeTimeoutMs: env.closeTimeoutMs });
  mountMultipartRoutes(env.fastify, multipart);
  return fastPath === null || fastPath.isEmpty ? null : fastPath;
}
