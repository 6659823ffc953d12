import { AsyncLocalStorage } from 'node:async_hooks';
import { celloError } from '../errors/cello-error.js';
import type { RequestContext } from '../di/request-context.js';

// One storage for the process, made by the first App with `requestContext: true`:
// `RequestContext.current()` is static, so it cannot know which app asks. Until then no
// AsyncLocalStorage exists, so on Node 20 no async hook is ever installed for it.
let storage: AsyncLocalStorage<RequestContext> | undefined;

/** The storage requests run in; creating it is what `new App({ requestContext: true })` does. */
export function requestStorage(): AsyncLocalStorage<RequestContext> {
  return (storage ??= new AsyncLocalStorage<RequestContext>());
}

/** The storage if some app turned the request context on, else null (nothing to enter). */
export function activeRequestStorage(): AsyncLocalStorage<RequestContext> | null {
  return storage ?? null;
}

/**
 * The context of the request whose code is running. A forgotten option would make this
 * `undefined` everywhere, which reads like "outside a request": it is an error instead.
 */
export function currentRequestContext(): RequestContext | undefined {
  if (storage === undefined) throw celloError('CELLO_ERR_CONTEXT_DISABLED');
  return storage.getStore();
}
