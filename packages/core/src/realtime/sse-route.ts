import { celloError } from '../errors/cello-error.js';
import { Response } from '../http/response.js';
import { isThenable } from '../http/thenable.js';
import type { RouteDefinition } from '../routing/route-table.js';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (isThenable(value)) return 'a promise (an `async` method, not an `async *` generator)';
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}

/**
 * The handler of an `@Sse` route as the compiler calls it: the method's async iterable (an
 * `async *` method's generator) becomes `Response.sse()`, with the route's heartbeat. A
 * `Response` (an error status, a redirect) is sent as it is.
 */
export function sseHandler(def: RouteDefinition): (...args: unknown[]) => unknown {
  const fn = def.handler;
  const heartbeat = def.options.heartbeat;
  const init = heartbeat === undefined ? {} : { heartbeat };
  const toSse = (result: unknown): unknown => {
    if (result instanceof Response) return result;
    if (!isAsyncIterable(result)) throw celloError('CELLO_ERR_SSE_NOT_ITERABLE', [def.handlerName, describe(result)]);
    return Response.sse(result, init);
  };
  return function celloSse(this: unknown, ...args: unknown[]) {
    const result = fn.apply(this, args);
    return isThenable(result) ? Promise.resolve(result).then(toSse) : toSse(result);
  };
}
