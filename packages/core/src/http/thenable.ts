/**
 * The one test for "is this a promise": a thenable, as `await` sees it. (`instanceof Promise`
 * misses promises from another realm or library.)
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
