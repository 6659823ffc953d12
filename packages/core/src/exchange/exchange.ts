import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { AppRuntime } from '../app-runtime.js';
import { BackgroundTasks } from '../background/background-tasks.js';
import { runTasks } from '../background/run-tasks.js';
import type { Dependency, DependencyValue, DependsOptions } from '../di/dependency.js';
import { RequestContext } from '../di/request-context.js';
import { RequestScope } from '../di/request-scope.js';
import { Request } from '../http/request.js';
import type { RouteInfo } from '../routing/route-info.js';
import { responseEnd, type EndSignal } from './end-signal.js';

// `throw undefined` is still a failure: the exchange records this in its place, since an
// undefined error reads as success (cleanups would commit, queued tasks would run).
function asFailure(error: unknown): unknown {
  return error === undefined ? new Error('The handler threw undefined') : error;
}

const ENDED = 1;
const SETTLED = 2;
const WATCHING = 4;
const HANDLED = 8;
const DONE = 16;

/**
 * One request's life, from the first stage that needs a context to the last cleanup: its
 * dependency scope, background tasks and end signal. The compiled route calls `finish(result)`
 * or `fail(error)` once the handler is over; cleanups and tasks start when that has happened and
 * the client side has ended. The app's pending work counts the exchange until then, so
 * `close()` waits for a handler that is still running even after its client went away.
 *
 * This is the `RequestContext` handlers see: one object per request, no view per dependency.
 */
export class Exchange extends RequestContext {
  readonly request: Request;
  readonly reply: FastifyReply;
  readonly route: RouteInfo;
  readonly #runtime: AppRuntime;
  readonly #end: EndSignal | null;
  #flags = 0;
  #error: unknown = undefined;
  #scope: RequestScope | undefined = undefined;
  #container: DependencyContainer | undefined = undefined;
  #background: BackgroundTasks | undefined = undefined;

  /**
   * `early`: made before the handler stage (for guards that run before the body is read); the
   * handler `claim()`s it, or the error handler `abandon()`s it when the handler never runs.
   * `end` defaults to the end of the HTTP response.
   */
  constructor(raw: FastifyRequest, reply: FastifyReply, route: RouteInfo, runtime: AppRuntime, early = false, end: EndSignal | null = null) {
    super();
    this.request = new Request(raw);
    this.reply = reply;
    this.route = route;
    this.#runtime = runtime;
    this.#end = end;
    runtime.work.started();
    if (early) {
      raw.celloExchange = this;
      this.#watch();
    } else {
      this.#flags = HANDLED;
    }
  }

  get container(): DependencyContainer {
    // Never dispose() it: tsyringe would also dispose singletons first built through it (tsyringe#237).
    return (this.#container ??= this.#runtime.container.createChildContainer());
  }

  get background(): BackgroundTasks {
    if (this.#background === undefined) {
      this.#background = new BackgroundTasks();
      this.#watch();
    }
    return this.#background;
  }

  inject<T>(token: InjectionToken<T>): T {
    return (this.#container ?? this.#runtime.container).resolve(token);
  }

  resolve<D extends Dependency<any>>(dep: D, options: DependsOptions = {}): Promise<DependencyValue<D>> {
    let scope = this.#scope;
    if (scope === undefined) {
      scope = this.#scope = new RequestScope();
      this.#watch();
    }
    const impl = (this.#runtime.overrides.get(dep) ?? dep) as Dependency;
    return scope.resolve(dep, impl, this, options) as Promise<DependencyValue<D>>;
  }

  /** The handler stage takes over an exchange made early. */
  claim(): this {
    this.#flags |= HANDLED;
    return this;
  }

  /** The request failed between the early stages and the handler (a body that does not parse): cleanups run now. */
  abandon(error: unknown): void {
    if (!(this.#flags & HANDLED)) this.#settle(asFailure(error));
  }

  /**
   * The handler ran past its `handlerTimeout`: the exchange settles with `error` now (cleanups
   * see it, queued tasks are dropped) whether or not the handler ever returns; its later
   * `finish`/`fail` change nothing.
   */
  expire(error: unknown): void {
    this.#settle(error);
  }

  /**
   * The handler returned `result`: `before-response` cleanups run (a failure there becomes the
   * error response), then the exchange settles. A promise only when there are such cleanups.
   */
  finish<T>(result: T): T | Promise<T> {
    const scope = this.#scope;
    if (scope !== undefined && scope.hasBeforeResponse) return this.#finishBeforeResponse(result, scope);
    this.#settle(undefined);
    return result;
  }

  /** The handler or a stage before it failed: cleanups see `error`; the returned promise rejects with it. */
  fail(error: unknown): Promise<never> {
    const scope = this.#scope;
    const failure = asFailure(error);
    if (scope === undefined || !scope.hasBeforeResponse) {
      this.#settle(failure);
      return Promise.reject(error);
    }
    return scope.close(true, failure, this.request.raw.log, false, this.#cleanupFailed()).then(() => {
      this.#settle(failure);
      throw error;
    });
  }

  async #finishBeforeResponse<T>(result: T, scope: RequestScope): Promise<T> {
    const failure = await scope.close(true, undefined, this.request.raw.log, true, this.#cleanupFailed());
    if (failure !== undefined) {
      this.#settle(failure);
      throw failure;
    }
    this.#settle(undefined);
    return result;
  }

  // Listens for the end of the client side once there is work to do after it.
  #watch(): void {
    if (this.#flags & WATCHING) return;
    this.#flags |= WATCHING;
    (this.#end ?? responseEnd(this.reply.raw))(() => {
      this.#flags |= ENDED;
      this.#afterEnd();
    });
  }

  #settle(error: unknown): void {
    if (this.#flags & SETTLED) return;
    this.#flags |= SETTLED;
    this.#error = error;
    if (this.#flags & WATCHING) this.#afterEnd();
    else this.#done();
  }

  #afterEnd(): void {
    if ((this.#flags & (ENDED | SETTLED)) !== (ENDED | SETTLED)) return;
    const scope = this.#scope;
    const tasks = this.#error === undefined ? this.#background?.drain() : undefined;
    if ((scope === undefined || !scope.hasCleanups) && !tasks?.length) {
      // A dependency still starting (its handler abandoned at handlerTimeout) cleans up when it yields.
      scope?.seal(this.#error, this.request.raw.log);
      this.#done();
      return;
    }
    // Cleanups and tasks run in the request's context, wherever the end signal fired.
    const storage = this.#runtime.context;
    if (storage === null) void this.#runAfter(scope, tasks);
    else void storage.run(this, () => this.#runAfter(scope, tasks));
  }

  async #runAfter(scope: RequestScope | undefined, tasks: ReturnType<BackgroundTasks['drain']> | undefined): Promise<void> {
    const log = this.request.raw.log;
    try {
      if (scope !== undefined && scope.hasCleanups) await scope.close(false, this.#error, log, false, this.#cleanupFailed());
      if (tasks?.length) {
        const report = this.#runtime.observer.backgroundTaskFailed;
        await runTasks(tasks, log, report === null ? null : () => report(this.route.path));
      }
    } finally {
      this.#done();
    }
  }

  // What counts a failed cleanup (metrics), or null when nothing does.
  #cleanupFailed(): (() => void) | null {
    const report = this.#runtime.observer.cleanupFailed;
    return report === null ? null : () => report(this.route.path);
  }

  #done(): void {
    if (this.#flags & DONE) return;
    this.#flags |= DONE;
    this.#runtime.work.done();
  }
}
