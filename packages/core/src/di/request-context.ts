import type { FastifyReply } from 'fastify';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { BackgroundTasks } from '../background/background-tasks.js';
import { currentRequestContext } from '../context/request-storage.js';
import type { Request } from '../http/request.js';
import type { RouteInfo } from '../routing/route-info.js';
import type { Dependency, DependencyValue, DependsOptions } from './dependency.js';

/**
 * Everything about the current request: the request, its child container, background tasks,
 * per-request state, and `resolve()` for dependencies. Cello makes one per request that needs
 * it; handlers, guards, middleware and dependencies receive it.
 */
export abstract class RequestContext {
  /**
   * The context of the request whose code is running: across awaits, timers and event
   * emitters the request started, in its background tasks and its dependency cleanups;
   * `undefined` outside a request. Needs `new App({ requestContext: true })`
   * (CELLO_ERR_CONTEXT_DISABLED otherwise).
   *
   * @example
   * const id = RequestContext.current()?.request.id;
   */
  static current(): RequestContext | undefined {
    return currentRequestContext();
  }

  /** The request, as handlers see it. */
  abstract readonly request: Request;
  /** The fastify reply, for setting headers from middleware or guards. */
  abstract readonly reply: FastifyReply;
  /** The route being served, as data. */
  abstract readonly route: RouteInfo;

  /** A per-request child of the app's container, created on first use. */
  abstract get container(): DependencyContainer;

  /** This request's background tasks (the same object a `tasks: BackgroundTasks` parameter gets). */
  abstract get background(): BackgroundTasks;

  /** Per-request state, shared with `request.state`. */
  get state(): Record<string, unknown> {
    return this.request.state;
  }

  /** Resolves a service from the request's container. */
  abstract inject<T>(token: InjectionToken<T>): T;

  /**
   * The value of a dependency for this request. Each dependency runs once per request, however
   * many parameters and other dependencies ask for it.
   */
  abstract resolve<D extends Dependency<any>>(dep: D, options?: DependsOptions): Promise<DependencyValue<D>>;
}
