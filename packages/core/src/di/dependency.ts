import type { RequestContext } from './request-context.js';

/**
 * A dependency: a function of the request context returning a value or a promise, or a
 * (async) generator whose first `yield` is the value and whose code after `yield` is cleanup.
 */
export type Dependency<T = unknown> = (ctx: RequestContext) =>
  | T
  | Promise<T>
  | Generator<T, unknown, unknown>
  | AsyncGenerator<T, unknown, unknown>;

/** The value a dependency provides (what it returns, resolves to, or yields). */
export type DependencyValue<D> = D extends (ctx: any) => infer R
  ? R extends AsyncGenerator<infer Y, any, any>
    ? Y
    : R extends Generator<infer Y, any, any>
      ? Y
      : Awaited<R>
  : never;

export interface DependsOptions {
  /**
   * When a generator dependency's cleanup runs: `'after-response'` (default: the client is not
   * kept waiting) or `'before-response'` (a failing cleanup, such as a commit, becomes the
   * error response).
   */
  cleanup?: 'after-response' | 'before-response';
}

export function dependencyName(dep: Function): string {
  return dep.name || 'anonymous dependency';
}
