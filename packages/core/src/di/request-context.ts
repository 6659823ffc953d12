import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { AppRuntime } from '../app-runtime.js';
import { BackgroundTasks } from '../background/background-tasks.js';
import { runTasks } from '../background/run-tasks.js';
import { Request } from '../http/request.js';
import type { RouteDefinition } from '../routing/route-table.js';
import type { Dependency, DependencyValue, DependsOptions } from './dependency.js';
import { RequestScope } from './request-scope.js';
import { kAfter, kBackground, kChain, kContainer, kRoot, kRuntime, kScope } from './context-slots.js';

/** After-response bookkeeping: work starts once the handler settled and the response closed. */
export interface AfterState {
  closed: boolean;
  settled: boolean;
  error: unknown;
}

/**
 * Everything about the current request: the request, its child container, background tasks,
 * per-request state, and `resolve()` for dependencies.
 */
export class RequestContext {
  readonly request: Request;
  /** The fastify reply, for setting headers from middleware or guards. */
  readonly reply: FastifyReply;
  /** The route being served (the route table row). */
  readonly route: RouteDefinition;
  /** @internal */ [kRoot]: RequestContext;
  /** @internal */ [kChain]: readonly Function[] = [];
  /** @internal */ [kRuntime]: AppRuntime;
  /** @internal */ [kScope]: RequestScope | undefined = undefined;
  /** @internal */ [kContainer]: DependencyContainer | undefined = undefined;
  /** @internal */ [kBackground]: BackgroundTasks | undefined = undefined;
  /** @internal */ [kAfter]: AfterState | undefined = undefined;

  /** Made by Cello for each request; `parent` is internal (a dependency's view of the request). */
  constructor(raw: FastifyRequest, reply: FastifyReply, route: RouteDefinition, runtime: AppRuntime, parent?: { root: RequestContext; chain: readonly Function[] }) {
    this.request = parent === undefined ? new Request(raw) : parent.root.request;
    this.reply = reply;
    this.route = route;
    this[kRoot] = parent === undefined ? this : parent.root;
    this[kRuntime] = runtime;
    if (parent !== undefined) this[kChain] = parent.chain;
  }

  /** A per-request child of the app's container, created on first use. */
  get container(): DependencyContainer {
    const root = this[kRoot];
    // Never dispose() it: tsyringe would also dispose singletons first built through it (tsyringe#237).
    return (root[kContainer] ??= root[kRuntime].container.createChildContainer());
  }

  /** This request's background tasks (the same object a `tasks: BackgroundTasks` parameter gets). */
  get background(): BackgroundTasks {
    const root = this[kRoot];
    if (root[kBackground] === undefined) {
      root[kBackground] = new BackgroundTasks();
      watchResponse(root);
    }
    return root[kBackground];
  }

  /** Per-request state, shared with `request.state`. */
  get state(): Record<string, unknown> {
    return this.request.state;
  }

  /** Resolves a service from the request's container. */
  inject<T>(token: InjectionToken<T>): T {
    return this[kRoot][kContainer] ? this.container.resolve(token) : this[kRuntime].container.resolve(token);
  }

  /**
   * The value of a dependency for this request. Each dependency runs once per request, however
   * many parameters and other dependencies ask for it.
   */
  resolve<D extends Dependency<any>>(dep: D, options: DependsOptions = {}): Promise<DependencyValue<D>> {
    const root = this[kRoot];
    const runtime = root[kRuntime];
    let scope = root[kScope];
    if (scope === undefined) {
      scope = root[kScope] = new RequestScope();
      watchResponse(root);
    }
    const impl = (runtime.overrides.get(dep) ?? dep) as Dependency;
    // A dependency that takes the context gets a view of it carrying its resolution chain, to
    // report cycles. A plain instance sharing the root's state, not Object.create(root): making
    // the request's context a prototype would push V8 into slow paths on every later access.
    const view = impl.length === 0 ? root : new RequestContext(root.request.raw, root.reply, root.route, runtime, { root, chain: [...this[kChain], dep] });
    return scope.resolve(dep, impl, view, this[kChain], options) as Promise<DependencyValue<D>>;
  }
}

function watchResponse(ctx: RequestContext): void {
  if (ctx[kAfter] !== undefined) return;
  const state: AfterState = (ctx[kAfter] = { closed: false, settled: false, error: undefined });
  const res = ctx.reply.raw;
  // 'close' fires when the response is sent and also when the client went away first;
  // fastify's onResponse misses the second case.
  if (res.destroyed || res.writableFinished) state.closed = true;
  else res.on('close', () => {
    state.closed = true;
    startAfterResponse(ctx);
  });
}

/**
 * Called by the compiled route once the handler has returned (error undefined) or failed.
 * Cleanups and background tasks start when this has happened and the response has closed.
 */
export function settleRequest(ctx: RequestContext, error: unknown): void {
  const state = ctx[kAfter];
  if (state === undefined || state.settled) return;
  state.settled = true;
  state.error = error;
  startAfterResponse(ctx);
}

/**
 * Runs `before-response` cleanups; a failure there replaces the handler's result. Returns
 * undefined (no promise to wait for) when there are none, the common case.
 */
export function closeBeforeResponse(ctx: RequestContext, error: unknown): Promise<void> | undefined {
  const scope = ctx[kScope];
  if (scope === undefined || !scope.hasBeforeResponse) return undefined;
  return scope.close(true, error, ctx.request.raw.log).then((failure) => {
    if (failure !== undefined && error === undefined) throw failure;
  });
}

function startAfterResponse(ctx: RequestContext): void {
  const state = ctx[kAfter]!;
  if (!state.closed || !state.settled) return;
  const scope = ctx[kScope];
  const tasks = state.error === undefined ? ctx[kBackground]?.drain() : undefined;
  if ((scope === undefined || !scope.hasCleanups) && !tasks?.length) return;
  const log = ctx.request.raw.log;
  const runtime = ctx[kRuntime];
  runtime.afterResponseStarted();
  void (async () => {
    try {
      if (scope !== undefined && scope.hasCleanups) await scope.close(false, state.error, log);
      if (tasks?.length) await runTasks(tasks, log);
    } finally {
      runtime.afterResponseDone();
    }
  })();
}
