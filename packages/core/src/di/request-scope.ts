import type { FastifyBaseLogger } from 'fastify';
import { celloError } from '../errors/cello-error.js';
import { dependencyName, type Dependency, type DependsOptions } from './dependency.js';

type AnyGenerator = Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>;

interface Cleanup {
  readonly generator: AnyGenerator;
  readonly name: string;
  readonly beforeResponse: boolean;
}

// A generator object's prototype is its function's `prototype`, whose prototype is one of these
// two intrinsics. Two prototype reads instead of `Object.prototype.toString`, which builds a
// string per dependency of every request; it also cannot be fooled by a `Symbol.toStringTag`.
const generatorPrototype = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()));
const asyncGeneratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})()));

function isGenerator(value: unknown): value is AnyGenerator {
  if (value === null || typeof value !== 'object') return false;
  const own = Object.getPrototypeOf(value);
  if (own === null) return false;
  const proto = Object.getPrototypeOf(own);
  return proto === asyncGeneratorPrototype || proto === generatorPrototype;
}

/** A dependency being created, and the one that asked for it. */
interface Resolving {
  readonly dep: Function;
  readonly parent: Resolving | null;
}

function cycleThrough(dep: Function, from: Resolving | null): string | null {
  const chain: Function[] = [];
  for (let r = from; r !== null; r = r.parent) chain.unshift(r.dep);
  const at = chain.indexOf(dep);
  return at === -1 ? null : [...chain.slice(at), dep].map((d) => dependencyName(d)).join(' -> ');
}

/**
 * One request's resolved dependencies and the cleanups they left, in creation order.
 * Cleanups run LIFO: a dependency may use what an earlier one yielded.
 */
export class RequestScope {
  readonly #values = new Map<Function, Promise<unknown>>();
  readonly #cleanups: Cleanup[] = [];
  #beforeResponse = 0;
  // Set by the final close(): a generator that yields only after it (a handler abandoned at its
  // handlerTimeout while a dependency was still starting) is cleaned up at once.
  #closedWith: { error: unknown; log: FastifyBaseLogger } | null = null;
  // The dependency whose code is running synchronously right now: a `ctx.resolve()` made there
  // is that dependency asking. Every dependency gets the same context object, so the resolution
  // chain lives here rather than in a context per dependency.
  #current: Resolving | null = null;

  /**
   * The value of `dep` for this request, creating it on first use. A dependency that asks,
   * through others, for itself is a cycle: reported instead of waiting forever.
   */
  resolve(dep: Dependency, impl: Dependency, ctx: unknown, options: DependsOptions): Promise<unknown> {
    const from = this.#current;
    if (from !== null) {
      const cycle = cycleThrough(dep, from);
      if (cycle !== null) return Promise.reject(celloError('CELLO_ERR_DI_CYCLE', [cycle]));
    }
    let value = this.#values.get(dep);
    if (value === undefined) {
      value = this.#create(impl, ctx, { dep, parent: from }, options.cleanup === 'before-response');
      this.#values.set(dep, value);
    }
    return value;
  }

  // The dependency's code runs with `resolving` as the current dependency: its synchronous part
  // (up to its first await) is where its own `ctx.resolve()` calls are made. Inlined, not a
  // helper taking a closure: this is on the path of every dependency of every request.
  async #create(impl: Dependency, ctx: unknown, resolving: Resolving, beforeResponse: boolean): Promise<unknown> {
    const outer = this.#current;
    this.#current = resolving;
    let result: unknown;
    try {
      result = impl(ctx as never);
    } finally {
      this.#current = outer;
    }
    if (!isGenerator(result)) return result;
    const name = dependencyName(resolving.dep);
    this.#current = resolving;
    let next: Promise<IteratorResult<unknown>> | IteratorResult<unknown>;
    try {
      next = result.next();
    } finally {
      this.#current = outer;
    }
    const step = await next;
    if (step.done) throw celloError('CELLO_ERR_DI_NO_YIELD', [name]);
    this.#cleanups.push({ generator: result, name, beforeResponse });
    if (beforeResponse) this.#beforeResponse++;
    const closed = this.#closedWith;
    if (closed !== null) void this.close(false, closed.error, closed.log);
    return step.value;
  }

  /** No cleanup is left to run now; one a generator leaves later runs at once (with `error`). */
  seal(error: unknown, log: FastifyBaseLogger): void {
    this.#closedWith ??= { error, log };
  }

  /** True when some generator is waiting for its cleanup. */
  get hasCleanups(): boolean {
    return this.#cleanups.length > 0;
  }

  /** True when some `before-response` generator is waiting for its cleanup. */
  get hasBeforeResponse(): boolean {
    return this.#beforeResponse > 0;
  }

  /**
   * Runs cleanups newest first: only the `before-response` ones, or (`onlyBeforeResponse`
   * false) all that are left. `error` (the handler's) is thrown into each generator so its
   * `catch` can roll back. Returns the first cleanup failure, if any. `handBack`: that first
   * failure becomes the response, whose error handler logs it, so it is not logged here too.
   */
  async close(onlyBeforeResponse: boolean, error: unknown, log: FastifyBaseLogger, handBack = false, onFailure: (() => void) | null = null): Promise<unknown> {
    if (!onlyBeforeResponse) this.#closedWith ??= { error, log };
    let failed = false;
    let failure: unknown;
    for (let i = this.#cleanups.length - 1; i >= 0; i--) {
      const cleanup = this.#cleanups[i]!;
      if (onlyBeforeResponse && !cleanup.beforeResponse) continue;
      this.#cleanups.splice(i, 1);
      if (cleanup.beforeResponse) this.#beforeResponse--;
      try {
        // Inlined rather than a helper: one async frame less per cleanup on every request.
        const { generator, name } = cleanup;
        let step: IteratorResult<unknown> | undefined;
        try {
          step = error === undefined ? await generator.next() : await generator.throw(error);
        } catch (err) {
          // Re-throwing the handler's own error from `catch`/`finally` is the normal way out.
          if (err !== error) throw err;
        }
        if (step !== undefined && !step.done) {
          log.error({ code: 'CELLO_ERR_DI_YIELDED_TWICE', dependency: name }, celloError('CELLO_ERR_DI_YIELDED_TWICE', [name]).message);
          await generator.return(undefined);
        }
      } catch (err) {
        onFailure?.();
        // `throw undefined` cannot be handed back (it reads as no failure): logged here instead.
        if (!handBack || failed || err === undefined) {
          log.error({ err, code: 'CELLO_ERR_DI_CLEANUP_FAILED', dependency: cleanup.name }, `cleanup of dependency ${cleanup.name} failed`);
        }
        if (!failed) failure = err;
        failed = true;
      }
    }
    return failure;
  }
}
