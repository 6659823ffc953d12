import type { RouteHandlerMethod } from 'fastify';
import { HttpError } from '../http/http-error.js';
import { isThenable } from '../http/thenable.js';

function timeoutError(ms: number): HttpError {
  return new HttpError(503, `The handler did not answer within ${ms / 1000} s (handlerTimeout)`, undefined, { code: 'CELLO_ERR_HANDLER_TIMEOUT' });
}

/**
 * Bounds the time `handler` takes to produce its result. JavaScript cannot stop the handler's
 * work, so past the limit the request answers 503 and its exchange settles with the timeout
 * error: dependency cleanups run (once, with that error thrown into them) and `close()` stops
 * waiting for it. A result that comes later is dropped. A handler that answers synchronously
 * starts no timer.
 */
export function withHandlerTimeout(handler: RouteHandlerMethod, ms: number): RouteHandlerMethod {
  return function celloTimedRoute(request, reply) {
    const out = handler.call(this, request, reply);
    if (!isThenable(out)) return out;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = timeoutError(ms);
        request.celloExchange?.expire(err);
        reject(err);
      }, ms);
      out.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  };
}
